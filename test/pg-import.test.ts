// Two imports at once on PostgreSQL (issue 12): an import plans without any lock and re-checks the
// data version before it writes. Without a lock around that check both would see the version
// they planned on and both write. Here the second waits, finds the first one's rows, and answers
// as on SQLite: nothing left to create. Never a partial or doubled import.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, sandbox } from './helpers/cli.js';
import { freshPostgresDatabase, hasPostgres, postgresNote, type PostgresDatabase } from './helpers/pg.js';

const VENUES = 400;

let database: PostgresDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

function importAtOnce(env: Record<string, string>, file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'import', 'venues', file, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.runIf(hasPostgres)(`two imports at once on PostgreSQL${postgresNote}`, () => {
  it('one imports every row, the other finds them there; never a doubled or partial import', async () => {
    database = await freshPostgresDatabase();
    const db = database;
    const box = sandbox({ BOXOFFICE_DB: db.url });
    expect(box.run(['init']).code).toBe(0);
    const file = path.join(box.dir, 'venues.csv');
    const rows = Array.from({ length: VENUES }, (_, i) => `Hall ${i},City ${i % 7},UTC`);
    fs.writeFileSync(file, `name,city,timezone\n${rows.join('\n')}\n`);

    const env = { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: db.url };
    const results = await Promise.all([importAtOnce(env, file), importAtOnce(env, file)]);
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const created = results.map((r) => (JSON.parse(r.stdout) as { created: number }).created).sort((a, b) => a - b);
    expect(created).toEqual([0, VENUES]);
    const [{ n, names }] = await db.query<{ n: string; names: string }>('select count(*) as n, count(distinct name) as names from venues');
    expect(Number(n)).toBe(VENUES);
    expect(Number(names)).toBe(VENUES);
    box.cleanup();
  });
});
