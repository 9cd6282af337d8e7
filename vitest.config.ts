import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each test file gets its own HOME and XDG folders, never the user's config or login.
    setupFiles: ['test/setup/hermetic.ts'],
    // A PostgreSQL server for the tests that need one: BOXOFFICE_TEST_PG, or a throwaway cluster.
    globalSetup: ['test/setup/postgres.ts'],
    // Several tests start real processes against real files; two workers suit this 2-core machine.
    maxWorkers: 2,
  },
});
