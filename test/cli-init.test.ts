import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, sandbox } from './helpers/cli.js';
import { Terminal } from './helpers/terminal.js';

let term: Terminal | undefined;
afterEach(() => term?.close());

describe('init', () => {
  it('on a terminal, asks a few questions and sets up a venue and an admin', async () => {
    const box = sandbox();
    term = new Terminal(`${process.execPath} ${BIN} init`, { env: { HOME: box.dir, BOXOFFICE_DB: box.db, PATH: process.env.PATH ?? '' } });
    await term.waitFor('demo theatre');
    term.type('n', 'Enter');
    await term.waitFor('Add your venue now?');
    term.keys('Enter');
    await term.waitFor('Venue name');
    term.type('Sala Azul', 'Enter');
    await term.waitFor('City');
    term.type('Porto', 'Enter');
    await term.waitFor('Time zone');
    term.keys('C-u');
    term.type('Europe/Lisbon', 'Enter');
    await term.waitFor('Add an admin');
    term.type('y', 'Enter');
    await term.waitFor('Admin name');
    term.type('Ana', 'Enter');
    await term.waitFor('PIN');
    term.type('12', 'Enter');
    await term.waitFor('4 to 12 digits; PIN');
    term.type('4821', 'Enter');
    const screen = await term.waitFor('EXIT=');
    expect(screen).toContain('EXIT=0');
    expect(screen).not.toContain('4821');
    const db = new Sqlite(box.db, { readonly: true });
    expect(db.prepare('select name, city, timezone from venues').all()).toEqual([{ name: 'Sala Azul', city: 'Porto', timezone: 'Europe/Lisbon' }]);
    expect(db.prepare('select name, role from staff').all()).toEqual([{ name: 'Ana', role: 'admin' }]);
    db.close();
    box.cleanup();
  });

  it('without a terminal, asks nothing and never hangs', () => {
    const box = sandbox();
    const r = box.run(['init']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Created');
    box.cleanup();
  });
});
