import { defineConfig } from 'vitest/config';
import { findServerBin } from './scripts/pg-cluster.mjs';

// Tests about PostgreSQL itself (the schema comparison, the dialect seam, the races that only a
// server with many writers has): they run in the postgres project only.
const postgresOnly = ['test/pg-*.test.ts', 'test/cli-postgres.test.ts', 'test/db-schema.test.ts', 'test/db-dialect.test.ts'];

// The core, CLI and multi-process suites that run on PostgreSQL too (SPEC "Storage": the same
// commands, output and exit codes on both). Each gets its database from test/helpers/db.ts.
// Not here: tests of the SQLite file itself (backup, crash recovery by WAL, the wake file, the
// file guards, byte-level seats --json of SQLite's own SQL), of the TUI's rendering and of pure
// functions, which do not depend on the database.
const onBothDatabases = [
  'test/core/sale.test.ts',
  'test/core/best-available.test.ts',
  'test/core/invariants.property.test.ts',
  'test/core/mail-queue.test.ts',
  'test/core/pin.test.ts',
  'test/cli-sale.test.ts',
  'test/crash.test.ts',
  'test/cli-errors.test.ts',
  'test/roles-personal-data.test.ts',
  'test/mail.test.ts',
  'test/ui/terminal.test.ts',
];

// A PostgreSQL server for this run: BOXOFFICE_TEST_PG, or a throwaway cluster of our own where
// Debian's postgresql is installed (test/setup/postgres.ts). CI must have one (the setup fails).
const postgres = Boolean(process.env.BOXOFFICE_TEST_PG) || findServerBin() !== undefined || process.env.CI === 'true';
if (!postgres) process.stderr.write('No PostgreSQL here (set BOXOFFICE_TEST_PG or install postgresql): the suites run on SQLite only.\n');

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each test file gets its own HOME and XDG folders, never the user's config or login.
    setupFiles: ['test/setup/hermetic.ts'],
    // Several tests start real processes against real files; two workers suit this 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: postgresOnly },
      },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: [...onBothDatabases, ...postgresOnly],
                env: { BOXOFFICE_TEST_DIALECT: 'postgres' },
                globalSetup: ['test/setup/postgres.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
