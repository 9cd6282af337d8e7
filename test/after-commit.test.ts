// Once a sale has committed, it is reported: its order code and normal output, whatever fails or
// arrives afterwards (a PDF that cannot be written, Ctrl-C, a kill). Before the commit, a stop
// leaves nothing sold. Through the real binary.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, preparedSandbox } from './helpers/cli.js';

// A folder that even root cannot create files in (the tests run as root here): sysfs refuses
// new files to everyone, whatever the permission bits say.
const UNWRITABLE = '/sys/boxoffice-tickets.pdf';

let box: ReturnType<typeof preparedSandbox>;
beforeAll(() => {
  box = preparedSandbox();
});
afterAll(() => box.cleanup());

function orderStatus(code: string): string | undefined {
  const db = new Sqlite(box.db, { readonly: true });
  try {
    return (db.prepare('select status from orders where code = ?').get(code) as { status: string } | undefined)?.status;
  } finally {
    db.close();
  }
}

describe('a PDF that cannot be written after the sale', () => {
  it('sell --pdf into a folder nobody can write: exit 0, the order code, a warning saying how to make the PDF again; the order is paid', () => {
    const r = box.run(['sell', 'Gala', '--seats', 'B-1,B-2', '--tier', 'Adult', '--pay', 'cash', '--pdf', UNWRITABLE]);
    expect(r.stderr).not.toMatch(/\n\s+at |node:events|Unhandled/);
    expect(r.code).toBe(0);
    const code = /Sold order ([A-Z0-9]+)/.exec(r.stdout + r.stderr)?.[1];
    expect(code, r.stdout + r.stderr).toBeDefined();
    expect(r.stderr).toMatch(/warning:.*PDF was not written/);
    expect(r.stderr).toContain(`boxoffice tickets pdf ${code} -o ${UNWRITABLE}`);
    expect(orderStatus(code!)).toBe('paid');
    expect(fs.readdirSync('/sys').some((f) => f.includes('boxoffice'))).toBe(false);
  });

  it('with --json: stdout is the order as JSON (the PDF error inside), the warning on stderr, exit 0', () => {
    const r = box.run(['sell', 'Gala', '--seats', 'B-3', '--tier', 'Adult', '--pay', 'cash', '--pdf', UNWRITABLE, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.code).toMatch(/^[A-Z0-9]+$/);
    expect(r.json.status).toBe('paid');
    expect(r.json.pdf.error).toMatch(/cannot write/);
    expect(r.stderr).toContain(`boxoffice tickets pdf ${r.json.code} -o ${UNWRITABLE}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(orderStatus(r.json.code)).toBe('paid');
  });

  it('tickets pdf -o into a folder nobody can write: a one-line error, no stack trace, exit 2', () => {
    const sold = box.run(['sell', 'Gala', '--seats', 'B-4', '--tier', 'Adult', '--pay', 'cash', '--json']);
    expect(sold.code, sold.stderr).toBe(0);
    const r = box.run(['tickets', 'pdf', sold.json.code, '-o', UNWRITABLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot write ${UNWRITABLE}: permission denied( \\(EACCES\\))?\\n`));
    expect(r.stderr).not.toMatch(/\n\s+at |node:events|partial/);
    const json = box.run(['tickets', 'pdf', sold.json.code, '-o', UNWRITABLE, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr).error.code).toBe('invalid_input');
  });
});

interface Run {
  key: string;
  signal: NodeJS.Signals;
  /** 'commit': the signal is sent the moment the order appears in the database; else after `delayMs`. */
  when: 'commit' | number;
  code: number | null;
  killedBy: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts one `sell --json` with its own idempotency key; `done` resolves when it has exited. */
function startSell(
  key: string,
  target: { dir: string; db: string } = box,
  extraEnv: Record<string, string> = {},
): { pid: number; kill: (signal: NodeJS.Signals) => void; exited: () => boolean; done: Promise<Omit<Run, 'signal' | 'when'>> } {
  const child = spawn(process.execPath, [BIN, 'sell', 'Gala', '--best', '1', '--tier', 'Adult', '--pay', 'cash', '--idempotency-key', key, '--json'], {
    env: { PATH: process.env.PATH ?? '', HOME: target.dir, BOXOFFICE_DB: target.db, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<Omit<Run, 'signal' | 'when'>>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, killedBy) => {
      exited = true;
      resolve({ key, code, killedBy, stdout, stderr });
    });
  });
  return { pid: child.pid!, kill: (signal) => child.kill(signal), exited: () => exited, done };
}

/** Runs one `sell` and stops it with `signal`, at its commit or after a delay. */
async function sellAndStop(key: string, signal: NodeJS.Signals, when: 'commit' | number): Promise<Run> {
  const seller = startSell(key);
  if (when === 'commit') {
    // Watch the database from outside and stop the seller as soon as its sale is visible:
    // the moment between its commit and its output.
    const db = new Sqlite(box.db, { readonly: true });
    const find = db.prepare('select 1 from idempotency_keys where key = ?');
    if (await waitFor(() => seller.exited() || Boolean(find.get(key)))) seller.kill(signal);
    db.close();
  } else {
    setTimeout(() => seller.kill(signal), when);
  }
  return { ...(await seller.done), signal, when };
}

/** Polls `check` on every turn of the event loop until it holds (true) or 30 s pass (false). */
async function waitFor(check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

function orderOf(key: string, file = box.db): string | undefined {
  const db = new Sqlite(file, { readonly: true });
  try {
    const row = db.prepare('select o.code, o.status from idempotency_keys k join orders o on o.id = k.order_id where k.key = ?').get(key) as { code: string; status: string } | undefined;
    if (row) expect(row.status).toBe('paid');
    return row?.code;
  } finally {
    db.close();
  }
}

describe('Ctrl-C or a kill while selling', () => {
  it('30 sells stopped at the commit or at other moments: every order that exists was reported with its code; a stopped sale that was not made says nothing was sold', async () => {
    // How long an undisturbed sale takes here, to spread the other stops over its life.
    const t0 = Date.now();
    const plain = await startSell('storm-warmup').done;
    const lifeMs = Date.now() - t0;
    expect(plain.code, plain.stderr).toBe(0);

    const plan: { signal: NodeJS.Signals; when: 'commit' | number }[] = [];
    for (let i = 0; i < 30; i++) {
      const signal: NodeJS.Signals = i % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      // Most of a run is starting up: the timed stops fall over its second half.
      plan.push({ signal, when: i % 3 === 0 ? Math.round(lifeMs * (0.45 + 0.06 * (i / 3))) : 'commit' });
    }
    const runs: Run[] = [];
    // Three at a time: the sellers also meet each other at the write lock.
    for (let i = 0; i < plan.length; i += 3) {
      runs.push(...(await Promise.all(plan.slice(i, i + 3).map((p, j) => sellAndStop(`storm-${i + j}`, p.signal, p.when)))));
    }

    const exitFor = { SIGINT: 130, SIGTERM: 143 } as Record<string, number>;
    let stoppedAfterCommit = 0;
    for (const run of runs) {
      const context = `${run.key} ${run.signal} at ${run.when}: exit ${run.code ?? run.killedBy}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
      expect(run.stderr, context).not.toMatch(/\n\s+at /);
      const code = orderOf(run.key);
      if (code) {
        // Made: reported in full on stdout, the JSON intact.
        expect(run.stdout, context).not.toBe('');
        expect(JSON.parse(run.stdout).code, context).toBe(code);
        if (run.code === exitFor[run.signal]) {
          // Stopped after the commit: reported first, then the stop said and obeyed.
          stoppedAfterCommit++;
          expect(JSON.parse(run.stderr).error, context).toMatchObject({ code: 'interrupted', details: { signal: run.signal, saved: true } });
        } else {
          // Done before the stop arrived (exit 0), or stopped once everything was reported.
          expect(run.code === 0 || run.killedBy === run.signal, context).toBe(true);
        }
      } else {
        // Not made: nothing claims a sale; if the seller lived to say anything, it says so.
        expect(run.stdout, context).toBe('');
        expect(run.code === exitFor[run.signal] || run.killedBy === run.signal, context).toBe(true);
        if (run.stderr) expect(JSON.parse(run.stderr).error.message, context).toMatch(/nothing was sold/);
      }
    }
    // The test reached the moment it is about: stops that landed after a commit.
    expect(stoppedAfterCommit).toBeGreaterThan(0);
  }, 60_000);

  it('stopped before its commit (while it waits for the write lock): exit 130/143, "nothing was sold", and nothing was', async () => {
    const wake = `${box.db}-wake`;
    for (const [i, signal] of (['SIGINT', 'SIGTERM', 'SIGINT', 'SIGTERM'] as NodeJS.Signals[]).entries()) {
      // Another terminal holds the write lock, so the seller waits for it, past every check and
      // before its commit; it shows that it waits by watching the wake file (wake-file.ts).
      const other = new Sqlite(box.db);
      other.prepare('begin immediate').run();
      fs.rmSync(wake, { force: true });
      const key = `waiting-${i}`;
      const seller = startSell(key);
      expect(await waitFor(() => seller.exited() || fs.existsSync(wake)), 'the seller never waited for the lock').toBe(true);
      seller.kill(signal);
      const run = await seller.done;
      other.prepare('rollback').run();
      other.close();
      const context = `${key}: exit ${run.code ?? run.killedBy}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
      expect(run.code, context).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(run.stdout, context).toBe('');
      expect(JSON.parse(run.stderr).error, context).toMatchObject({ code: 'interrupted', details: { signal, saved: false } });
      expect(JSON.parse(run.stderr).error.message, context).toMatch(/before anything was saved: nothing was sold/);
      expect(orderOf(key), context).toBeUndefined();
    }
  }, 60_000);
});

describe('Ctrl-C while an operator is being checked', () => {
  const staffed = preparedSandbox();
  afterAll(() => staffed.cleanup());
  beforeAll(() => {
    expect(staffed.run(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '4821']).code).toBe(0);
  });

  it('the PIN check’s own writes are not the sale: a stop before the sale commits ends it with nothing sold', async () => {
    const wake = `${staffed.db}-wake`;
    const pinChecks = () => {
      const db = new Sqlite(staffed.db, { readonly: true });
      try {
        return (db.prepare('select count(*) from pin_checks').pluck().get() as number) > 0;
      } finally {
        db.close();
      }
    };
    const seller = startSell('during-login', staffed, { BOXOFFICE_OPERATOR: 'Ana', BOXOFFICE_PIN: '4821' });
    // The PIN check has begun (and committed its mark); now another terminal takes the write lock,
    // so the seller stops before its sale can commit, and shows it waits through the wake file.
    expect(await waitFor(() => seller.exited() || pinChecks()), 'the PIN check never began').toBe(true);
    const other = new Sqlite(staffed.db, { timeout: 10_000 });
    other.prepare('begin immediate').run();
    fs.rmSync(wake, { force: true });
    expect(await waitFor(() => seller.exited() || fs.existsSync(wake)), 'the seller never waited for the lock').toBe(true);
    seller.kill('SIGINT');
    const run = await seller.done;
    other.prepare('rollback').run();
    other.close();
    const context = `exit ${run.code ?? run.killedBy}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
    expect(run.code, context).toBe(130);
    expect(JSON.parse(run.stderr).error, context).toMatchObject({ code: 'interrupted', details: { saved: false } });
    expect(orderOf('during-login', staffed.db), context).toBeUndefined();
  }, 60_000);
});
