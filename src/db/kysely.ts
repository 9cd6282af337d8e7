// Kysely's values, loaded from its CommonJS build. Its ESM build is nearly a thousand small
// modules and costs every command ~100 ms more to start; the CommonJS build is the same code.
// Import Kysely's values from here, and its types from 'kysely' (`import type`), never both
// builds at once: their classes would not be the same.
// The bundle bin/boxoffice runs (scripts/build-bundle.mjs) re-exports the names below from
// Kysely's ESM build instead, bundled and cut down to what is used; it reads the list from the
// `export const { … } = kysely;` line, so keep that shape.
import { createRequire } from 'node:module';

const kysely = createRequire(import.meta.url)('kysely') as typeof import('kysely');

export const {
  CompiledQuery,
  DummyDriver,
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} = kysely;
