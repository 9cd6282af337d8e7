// PostgreSQL's migrations, apart from SQLite's frozen ones (../migrations): the two histories
// differ (here the schema starts whole), the schemas they build must not (test/db-schema.test.ts).
// Imported statically, like SQLite's, so the built CLI needs no migration folder on disk.
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-schema.js';
import * as m0002 from './0002-feed-sequence.js';
import * as m0003 from './0003-name-key-defaults.js';
import * as m0004 from './0004-feed-horizon.js';

export const postgresMigrations: Record<string, Migration> = {
  '0001-schema': m0001,
  '0002-feed-sequence': m0002,
  '0003-name-key-defaults': m0003,
  '0004-feed-horizon': m0004,
};

export const postgresMigrationProvider: MigrationProvider = {
  async getMigrations() {
    return postgresMigrations;
  },
};
