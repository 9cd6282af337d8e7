// Migrations are imported statically so the built CLI needs no migration folder on disk.
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-mail-queue.js';
import * as m0003 from './0003-data.js';
import * as m0004 from './0004-seat-order.js';
import * as m0005 from './0005-buyer-email.js';
import * as m0006 from './0006-consumer-lease.js';
import * as m0007 from './0007-pin-backoff.js';
import * as m0008 from './0008-name-keys.js';

export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-mail-queue': m0002,
  '0003-data': m0003,
  '0004-seat-order': m0004,
  '0005-buyer-email': m0005,
  '0006-consumer-lease': m0006,
  '0007-pin-backoff': m0007,
  '0008-name-keys': m0008,
};

export const staticMigrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
