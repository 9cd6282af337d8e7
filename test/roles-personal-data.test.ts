// Personal data by role, through the real binary: every read that returns customers' data is
// checked in the core against the operator's role (README "Who may read what").
// Managers and admins read everything; a clerk looks up the order or customer in front of them
// but lists nothing in bulk; a door operator checks tickets in and reads no customer data.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedSandbox } from './helpers/cli.js';

const box = preparedSandbox();
const ROLES = {
  admin: { BOXOFFICE_OPERATOR: 'Ana', BOXOFFICE_PIN: '4821' },
  manager: { BOXOFFICE_OPERATOR: 'Mia', BOXOFFICE_PIN: '2222' },
  clerk: { BOXOFFICE_OPERATOR: 'Carl', BOXOFFICE_PIN: '1111' },
  door: { BOXOFFICE_OPERATOR: 'Gus', BOXOFFICE_PIN: '3333' },
} as const;
type Role = keyof typeof ROLES;
const EMAIL = 'ana.silva@example.com';
let order = '';
let ticket = '';

beforeAll(() => {
  const must = (args: string[], env: Record<string, string> = {}) => {
    const r = box.run(args, env);
    if (r.code !== 0) throw new Error(`setup ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r;
  };
  const sale = must(['sell', 'Gala', '--seats', 'A-1,A-2', '--tier', 'Adult', '--pay', 'cash', '--email', EMAIL, '--name', 'Ana Silva', '--json']);
  order = sale.json.code;
  ticket = sale.json.tickets[0].code;
  must(['sell', 'Gala', '--seats', 'A-3', '--tier', 'Adult', '--pay', 'cash', '--email', 'rui@example.com', '--name', 'Rui Costa']);
  must(['lead', 'add', 'lead@example.com', '--source', 'flyer', '--consent']);
  must(['tickets', 'email', order]); // no mail server: it waits in the queue
  must(['staff', 'add', 'Ana', '--role', 'admin', '--pin', '4821']);
  must(['staff', 'add', 'Mia', '--role', 'manager', '--pin', '2222'], ROLES.admin);
  must(['staff', 'add', 'Carl', '--role', 'clerk', '--pin', '1111'], ROLES.admin);
  must(['staff', 'add', 'Gus', '--role', 'door', '--pin', '3333'], ROLES.admin);
});
afterAll(() => box.cleanup());

// Which roles may run each read (the others get exit 5). Args are functions: the order and
// ticket codes exist only once the setup has run.
const ALL: Role[] = ['admin', 'manager', 'clerk', 'door'];
const COUNTER: Role[] = ['admin', 'manager', 'clerk'];
const OFFICE: Role[] = ['admin', 'manager'];
const reads: { name: string; args: (role: Role) => string[]; may: Role[] }[] = [
  { name: 'customer list', args: () => ['customer', 'list'], may: OFFICE },
  { name: 'customer show <email>', args: () => ['customer', 'show', EMAIL], may: COUNTER },
  { name: 'customer show <id>', args: () => ['customer', 'show', '1'], may: OFFICE },
  { name: 'order list', args: () => ['order', 'list'], may: OFFICE },
  { name: 'order show', args: () => ['order', 'show', order], may: COUNTER },
  { name: 'order find <email>', args: () => ['order', 'find', EMAIL], may: COUNTER },
  { name: 'lead list', args: () => ['lead', 'list'], may: OFFICE },
  { name: 'export orders', args: () => ['export', 'orders'], may: OFFICE },
  { name: 'export tickets', args: () => ['export', 'tickets'], may: OFFICE },
  { name: 'export customers', args: () => ['export', 'customers'], may: OFFICE },
  { name: 'export leads', args: () => ['export', 'leads'], may: OFFICE },
  { name: 'export sales', args: () => ['export', 'sales'], may: OFFICE },
  { name: 'report leads', args: () => ['report', 'leads'], may: OFFICE },
  { name: 'mail list', args: () => ['mail', 'list'], may: OFFICE },
  { name: 'log', args: () => ['log'], may: OFFICE },
  { name: 'log --json', args: () => ['log', '--json'], may: OFFICE },
  { name: 'log --order', args: () => ['log', '--order', order], may: OFFICE },
  { name: 'sync export', args: () => ['sync', 'export', '--since', '0'], may: OFFICE },
  { name: 'tickets show', args: () => ['tickets', 'show', ticket], may: ALL },
  { name: 'tickets pdf', args: (role) => ['tickets', 'pdf', order, '-o', path.join(box.dir, `out-${role}.pdf`)], may: COUNTER },
  { name: 'seats', args: () => ['seats', 'Gala'], may: ALL },
];
const cases = reads.flatMap((read) => ALL.map((role) => ({ ...read, role, code: read.may.includes(role) ? 0 : 5 })));

describe('who may read personal data', () => {
  it.each(cases)('$role: $name exits $code', ({ role, args, code }) => {
    const r = box.run(args(role), ROLES[role]);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code });
    if (code === 5) {
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/needs the admin or manager role|needs the admin, manager or clerk role/);
    }
  });

  it('a refusal is the forbidden error naming the role needed, under --json too', () => {
    const r = box.run(['--json', 'customer', 'list'], ROLES.door);
    expect(r.code).toBe(5);
    const { error } = JSON.parse(r.stderr);
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/Gus \(door\) may not .*customers.*: that needs the admin or manager role/);
  });

  it('mail retry lists every recipient, so it is the office’s: a clerk is refused before any mail is read', () => {
    const smtp = { BOXOFFICE_SMTP_URL: 'smtp://127.0.0.1:1' };
    for (const role of ['clerk', 'door'] as const) {
      const r = box.run(['--json', 'mail', 'retry'], { ...ROLES[role], ...smtp });
      expect(r.code, r.stderr).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toContain('@');
    }
  });

  it('a clerk finds the order of the person in front of them, not every order by a fragment', () => {
    const whole = box.run(['--json', 'order', 'find', EMAIL.toUpperCase()], ROLES.clerk);
    expect(whole.code).toBe(0);
    expect(whole.json.map((o: { code: string }) => o.code)).toEqual([order]);
    const byName = box.run(['--json', 'order', 'find', 'Silva'], ROLES.clerk);
    expect(byName.json.map((o: { code: string }) => o.code)).toEqual([order]);
    // A fragment every email shares lists everyone to a manager, nobody to a clerk.
    expect(box.run(['--json', 'order', 'find', '@example.com'], ROLES.manager).json).toHaveLength(2);
    expect(box.run(['--json', 'order', 'find', '@example.com'], ROLES.clerk).json).toEqual([]);
    expect(box.run(['--json', 'order', 'find', 'a'], ROLES.clerk).json).toEqual([]);
  });

  it('the door still checks tickets in, and single-user mode reads everything', () => {
    const door = box.run(['--json', 'checkin', ticket], ROLES.door);
    expect(door.code).toBe(0);
    expect(door.json).toMatchObject({ verdict: 'admitted', seat: 'A-1' });
    const single = preparedSandbox();
    try {
      expect(single.run(['customer', 'list']).code).toBe(0);
      expect(single.run(['log', '--json']).code).toBe(0);
      expect(single.run(['mail', 'list']).code).toBe(0);
    } finally {
      single.cleanup();
    }
  });
});
