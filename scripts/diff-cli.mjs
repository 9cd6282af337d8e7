#!/usr/bin/env node
// Differential run of two builds of the CLI: every case runs its steps, each on a fresh demo
// database per binary, and what the two print (stdout, stderr, exit code) is compared after
// masking only what is random (order and ticket codes, UUIDs, milliseconds, temp paths).
// Usage: node scripts/diff-cli.mjs OLD_ROOT NEW_ROOT [case-name-filter]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [oldRoot, newRoot, filter] = process.argv.slice(2);
if (!oldRoot || !newRoot) {
  console.error('usage: diff-cli.mjs OLD_ROOT NEW_ROOT [filter]');
  process.exit(2);
}

const ADMIN = { BOXOFFICE_OPERATOR: 'ana', BOXOFFICE_PIN: '1111' };
const CLERK = { BOXOFFICE_OPERATOR: 'cleo', BOXOFFICE_PIN: '2222' };
const DOOR = { BOXOFFICE_OPERATOR: 'dora', BOXOFFICE_PIN: '3333' };
const _MANAGER = { BOXOFFICE_OPERATOR: 'max', BOXOFFICE_PIN: '4444' };
const STAFF = [
  ['staff', 'add', 'ana', '--role', 'admin', '--pin', '1111'],
  [{ ...ADMIN }, 'staff', 'add', 'cleo', '--role', 'clerk', '--pin', '2222'],
  [{ ...ADMIN }, 'staff', 'add', 'dora', '--role', 'door', '--pin', '3333'],
  [{ ...ADMIN }, 'staff', 'add', 'max', '--role', 'manager', '--pin', '4444'],
];
const SALE = ['--json', 'sell', 'Hamlet', '--seats', 'Stalls:A-1,Stalls:A-2', '--tier', 'Adult', '--pay', 'cash', '--email', 'bo@example.com', '--name', 'Bo'];
const SALE_NOMAIL = ['--json', 'sell', 'Hamlet', '--seats', 'Stalls:B-1', '--tier', 'Adult', '--pay', 'cash'];
const HOLD = ['--json', 'hold', 'Hamlet', '--seats', 'Stalls:C-1,Stalls:C-2', '--tier', 'Adult', '--email', 'ho@example.com'];

// A case: a name and steps. A step is an argument list, optionally led by an env object.
// {O0} {O1}… are the order codes, {T0}… the ticket codes, seen so far in order; {DIR} the case's directory.
const C = [];
const add = (name, ...steps) => C.push({ name, steps });
const both = (name, ...steps) => {
  // Each error case plain and with --json (the last step).
  add(name, ...steps);
  const last = steps[steps.length - 1];
  const env = typeof last[0] === 'object' ? [last[0]] : [];
  const args = typeof last[0] === 'object' ? last.slice(1) : last;
  add(`${name} [json]`, ...steps.slice(0, -1), [...env, '--json', ...args]);
};

// ---- sell / hold selection
both('sell no selection', ['sell', 'Hamlet', '--tier', 'Adult', '--pay', 'cash']);
both('sell seats+best', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--best', '2', '--tier', 'Adult', '--pay', 'cash']);
both('sell seats+quantity', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--quantity', '2', '--tier', 'Adult', '--pay', 'cash']);
both('sell best+quantity', ['sell', 'Hamlet', '--best', '2', '--quantity', '2', '--tier', 'Adult', '--pay', 'cash']);
both('sell seats+section', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--section', 'Stalls', '--tier', 'Adult', '--pay', 'cash']);
both('sell bad seats', ['sell', 'Hamlet', '--seats', 'A1', '--tier', 'Adult', '--pay', 'cash']);
both('sell ambiguous seat', ['sell', 'Hamlet', '--seats', 'A-1', '--tier', 'Adult', '--pay', 'cash']);
both('sell bad seats2', ['sell', 'Hamlet', '--seats', 'Stalls:A-1,,Stalls:A-2', '--tier', 'Adult', '--pay', 'cash']);
both('sell unknown seat', ['sell', 'Hamlet', '--seats', 'Z-99', '--tier', 'Adult', '--pay', 'cash']);
both('sell dup seat', ['sell', 'Hamlet', '--seats', 'Stalls:A-1,Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
both('sell best 0', ['sell', 'Hamlet', '--best', '0', '--tier', 'Adult', '--pay', 'cash']);
both('sell best x', ['sell', 'Hamlet', '--best', 'x', '--tier', 'Adult', '--pay', 'cash']);
both('sell best too many', ['sell', 'Hamlet', '--best', '11', '--tier', 'Adult', '--pay', 'cash']);
both('sell best huge', ['sell', 'Hamlet', '--best', '40', '--tier', 'Adult', '--pay', 'cash', '--section', 'Stalls']);
both('sell quantity reserved', ['sell', 'Hamlet', '--quantity', '2', '--tier', 'Adult', '--pay', 'cash']);
both('sell quantity 0', ['sell', 'Late Jazz', '--tier', 'Standing', '--quantity', '0', '--pay', 'cash']);
both('sell quantity -1', ['sell', 'Late Jazz', '--tier', 'Standing', '--quantity', '-1', '--pay', 'cash']);
both('sell quantity 1.5', ['sell', 'Late Jazz', '--tier', 'Standing', '--quantity', '1.5', '--pay', 'cash']);
both('sell quantity over limit', ['sell', 'Late Jazz', '--tier', 'Standing', '--quantity', '11', '--pay', 'cash']);
both('sell best on GA', ['sell', 'Late Jazz', '--tier', 'Standing', '--best', '2', '--pay', 'cash']);
both('sell seats on GA', ['sell', 'Late Jazz', '--tier', 'Standing', '--seats', 'Stalls:A-1', '--pay', 'cash']);
both('sell unknown section', ['sell', 'Hamlet', '--best', '2', '--section', 'Nowhere', '--tier', 'Adult', '--pay', 'cash']);
both('sell no tier', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--pay', 'cash']);
both('sell unknown tier', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Senior', '--pay', 'cash']);
both('sell tier split bad', ['sell', 'Hamlet', '--seats', 'Stalls:A-1,Stalls:A-2', '--tier', 'Adult=1', '--pay', 'cash']);
both('sell tier split syntax', ['sell', 'Hamlet', '--seats', 'Stalls:A-1,Stalls:A-2', '--tier', 'Adult=x,Child=1', '--pay', 'cash']);
both('sell tier split unknown', ['sell', 'Hamlet', '--seats', 'Stalls:A-1,Stalls:A-2', '--tier', 'Adult=1,Senior=1', '--pay', 'cash']);
both('sell tier zone mismatch', ['sell', 'Hamlet', '--best', '1', '--section', 'Balcony', '--tier', 'Concession', '--pay', 'cash']);
both('sell no pay', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult']);
both('sell bad pay', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'bitcoin']);
both('sell card no ref', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'card']);
both('sell card tendered', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'card', '--card-ref', 'X1', '--tendered', '30']);
both('sell external no ref', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'external']);
both('sell tendered short', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--tendered', '10']);
both('sell tendered bad', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--tendered', '1.234']);
both('sell tendered text', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--tendered', 'lots']);
both('sell comp as single', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'comp']);
both('sell comp as clerk', ...STAFF, [CLERK, 'sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'comp']);
both('sell bad email', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--email', 'nope']);
both('sell draft event', ['sell', 'Hamlet (matinee)', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
both('sell unknown event', ['sell', 'Macbeth', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
both('sell event by bad id', ['sell', '99', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
both('sell taken seat', SALE, ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
both('sell send no email', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--send']);
both('sell bad lang', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--lang', 'fr']);
both('sell bad layout', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--pdf', '{DIR}/t.pdf', '--layout', 'x']);
both('sell layout without pdf', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--layout', 'stock']);
both('sell pdf exists', ['config', 'path'], ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--pdf', '{DIR}/home']);
both('sell pdf dir missing', ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--pdf', '{DIR}/no/such/t.pdf']);
both(
  'sell idem reuse other',
  ['--json', 'sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--idempotency-key', 'k1'],
  ['sell', 'Hamlet', '--seats', 'Stalls:A-3', '--tier', 'Adult', '--pay', 'cash', '--idempotency-key', 'k1'],
);
both(
  'sell idem replay',
  ['--json', 'sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--idempotency-key', 'k1'],
  ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash', '--idempotency-key', 'k1'],
);
both('sell door role', ...STAFF, [DOOR, 'sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
both('sell door bad seats', ...STAFF, [DOOR, 'sell', 'Hamlet', '--seats', 'A1', '--tier', 'Adult', '--pay', 'cash']);
both('sell wrong pin', ...STAFF, [{ BOXOFFICE_OPERATOR: 'cleo', BOXOFFICE_PIN: '9999' }, 'sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
both('sell unknown operator', ...STAFF, [{ BOXOFFICE_OPERATOR: 'zed', BOXOFFICE_PIN: '9999' }, 'sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
both('sell no login with staff', ...STAFF, ['sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
both('hold no selection', ['hold', 'Hamlet', '--tier', 'Adult']);
both('hold minutes 0', ['hold', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--minutes', '0']);
both('hold minutes x', ['hold', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--minutes', 'x']);
both('hold minutes huge', ['hold', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--minutes', '100000']);
both('hold minutes frac', ['hold', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--minutes', '1.5']);
both('hold env minutes bad', [{ BOXOFFICE_HOLD_MINUTES: 'abc' }, 'hold', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult']);
both('hold draft', ['hold', 'Hamlet (matinee)', '--seats', 'Stalls:A-1', '--tier', 'Adult']);
both('hold ok', ['hold', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--email', 'h@example.com']);
both('hold GA ok', ['hold', 'Late Jazz', '--tier', 'Standing', '--quantity', '3']);
both('sell ok best', ['sell', 'Hamlet', '--best', '3', '--tier', 'Adult=2,Child=1', '--pay', 'cash', '--tendered', '100']);
both('sell ok card', ['sell', 'Hamlet', '--seats', 'Stalls:A-5', '--tier', 'Adult', '--pay', 'card', '--card-ref', 'T-1']);
both('sell ok external', ['sell', 'Late Jazz', '--tier', 'Standing', '--quantity', '2', '--pay', 'external', '--ref', 'WEB-7']);
both('sell ok pdf', ['sell', 'Hamlet', '--seats', 'Stalls:A-9', '--tier', 'Child', '--pay', 'cash', '--pdf', '{DIR}/t.pdf']);
both('sell ok send', ['sell', 'Hamlet', '--seats', 'Stalls:A-9', '--tier', 'Child', '--pay', 'cash', '--email', 'x@example.com', '--send']);

// ---- orders
both('order show unknown', ['order', 'show', 'ZZZZZZ']);
both('order show ok', SALE, ['order', 'show', '{O0}']);
both('order show by ticket', SALE, ['order', 'show', '{T0}']);
both('order find', SALE, ['order', 'find', 'bo@example.com']);
both('order find none', ['order', 'find', 'nobody']);
both('order list', SALE, HOLD, ['order', 'list']);
both('order pay paid', SALE, ['order', 'pay', '{O0}', '--pay', 'cash']);
both('order pay hold', HOLD, ['order', 'pay', '{O0}', '--pay', 'cash']);
both('order pay hold card noref', HOLD, ['order', 'pay', '{O0}', '--pay', 'card']);
both('order pay hold card tendered', HOLD, ['order', 'pay', '{O0}', '--pay', 'card', '--card-ref', 'x', '--tendered', '60']);
both('order pay hold short', HOLD, ['order', 'pay', '{O0}', '--pay', 'cash', '--tendered', '1']);
both('order pay no method', HOLD, ['order', 'pay', '{O0}']);
both('order pay expired', HOLD, ['expire'], [{ BOXOFFICE_NOW: '2027-01-10T12:00:00Z' }, 'order', 'pay', '{O0}', '--pay', 'cash']);
both('order pay cancelled', HOLD, ['order', 'cancel', '{O0}'], ['order', 'pay', '{O0}', '--pay', 'cash']);
both('order cancel paid', SALE, ['order', 'cancel', '{O0}']);
both('order cancel hold', HOLD, ['order', 'cancel', '{O0}', '--reason', 'changed mind']);
both('order cancel twice', HOLD, ['order', 'cancel', '{O0}'], ['order', 'cancel', '{O0}']);
both('order cancel unknown', ['order', 'cancel', 'ZZZZZZ']);
both('refund hold', HOLD, ['order', 'refund', '{O0}', '--yes']);
both('refund hold bad amount', HOLD, ['order', 'refund', '{O0}', '--amount', 'x', '--yes']);
both('refund too much', SALE, ['order', 'refund', '{O0}', '--amount', '500', '--yes']);
both('refund bad amount', SALE, ['order', 'refund', '{O0}', '--amount', '-1', '--yes']);
both('refund zero amount', SALE, ['order', 'refund', '{O0}', '--amount', '0', '--yes']);
both('refund amount text', SALE, ['order', 'refund', '{O0}', '--amount', 'abc', '--yes']);
both('refund tickets+amount', SALE, ['order', 'refund', '{O0}', '--tickets', '{T0}', '--amount', '5', '--yes']);
both('refund unknown ticket', SALE, ['order', 'refund', '{O0}', '--tickets', 'NOPE', '--yes']);
both('refund other order ticket', SALE, SALE_NOMAIL, ['order', 'refund', '{O0}', '--tickets', '{T2}', '--yes']);
both('refund used ticket', SALE, [{ BOXOFFICE_NOW: '2027-01-11T19:30:00Z' }, 'checkin', '{T0}'], [{ BOXOFFICE_NOW: '2027-01-11T19:31:00Z' }, 'order', 'refund', '{O0}', '--yes']);
both(
  'refund used ticket by code',
  SALE,
  [{ BOXOFFICE_NOW: '2027-01-11T19:30:00Z' }, 'checkin', '{T0}'],
  [{ BOXOFFICE_NOW: '2027-01-11T19:31:00Z' }, 'order', 'refund', '{O0}', '--tickets', '{T0}', '--yes'],
);
both('refund twice', SALE, ['order', 'refund', '{O0}', '--yes'], ['order', 'refund', '{O0}', '--yes']);
both('refund ticket twice', SALE, ['order', 'refund', '{O0}', '--tickets', '{T0}', '--yes'], ['order', 'refund', '{O0}', '--tickets', '{T0}', '--yes']);
both('refund no yes', SALE, ['order', 'refund', '{O0}']);
both('refund dry run', SALE, ['order', 'refund', '{O0}', '--dry-run']);
both('refund ok amount', SALE, ['order', 'refund', '{O0}', '--amount', '5', '--reason', 'late', '--yes']);
both('refund ok tickets', SALE, ['order', 'refund', '{O0}', '--tickets', '{T1}', '--yes']);
both('refund as clerk', ...STAFF, [CLERK, ...SALE], [CLERK, 'order', 'refund', '{O0}', '--yes']);
both('refund after amount too much', SALE, ['order', 'refund', '{O0}', '--amount', '40', '--yes'], ['order', 'refund', '{O0}', '--amount', '20', '--yes']);

// ---- checkin
both('checkin unknown', ['checkin', 'NOPE']);
both('checkin twice', SALE, ['checkin', '{T0}'], ['checkin', '{T0}']);
both('checkin refunded', SALE, ['order', 'refund', '{O0}', '--yes'], ['checkin', '{T0}']);
both('checkin gate', SALE, ['checkin', '{T0}', '--gate', 'North']);
both('checkin as clerk', ...STAFF, [ADMIN, ...SALE], [CLERK, 'checkin', '{T0}']);

// ---- seats
both('seats plain', SALE, ['seats', 'Hamlet']);
both('seats section', ['seats', 'Hamlet', '--section', 'Balcony']);
both('seats unknown section', ['seats', 'Hamlet', '--section', 'Nowhere']);
both('seats unknown event', ['seats', 'Nope']);
both('seats block ok', ['seats', 'block', 'Hamlet', '--seats', 'Stalls:A-1,Stalls:A-2', '--reason', 'house']);
both('seats block taken', SALE, ['seats', 'block', 'Hamlet', '--seats', 'Stalls:A-1,Stalls:A-2']);
both('seats block bad', ['seats', 'block', 'Hamlet', '--seats', 'A1']);
both('seats block none', ['seats', 'block', 'Hamlet']);
both('seats block GA', ['seats', 'block', 'Late Jazz', '--seats', 'Stalls:A-1']);
both('seats release unblocked', ['seats', 'release', 'Hamlet', '--seats', 'Stalls:A-1']);
both('seats release ok', ['seats', 'block', 'Hamlet', '--seats', 'Stalls:A-1'], ['seats', 'release', 'Hamlet', '--seats', 'Stalls:A-1']);
both('seats release sold', SALE, ['seats', 'release', 'Hamlet', '--seats', 'Stalls:A-1']);
both('seats block clerk', ...STAFF, [CLERK, 'seats', 'block', 'Hamlet', '--seats', 'Stalls:A-1']);

// ---- events & venues
both('event price no tier', ['event', 'price', 'Hamlet (matinee)', '--price', '10']);
both('event price bad', ['event', 'price', 'Hamlet (matinee)', '--tier', 'Adult', '--price', 'x']);
both('event price neg', ['event', 'price', 'Hamlet (matinee)', '--tier', 'Adult', '--price', '-1']);
both('event price unknown zone', ['event', 'price', 'Hamlet (matinee)', '--tier', 'Adult', '--price', '5', '--zone', 'Nope']);
both('event price ok', ['event', 'price', 'Hamlet (matinee)', '--tier', 'Student', '--price', '5']);
both('event price unknown event', ['event', 'price', 'Nope', '--tier', 'Adult', '--price', '5']);
both(
  'event add no seatmap then price',
  ['venue', 'add', 'Empty', '--city', 'Faro', '--timezone', 'Europe/Lisbon'],
  ['event', 'add', 'Nothing', '--venue', 'Empty', '--starts', '2027-03-01T20:00'],
  ['event', 'price', 'Nothing', '--tier', 'Adult', '--price', '5'],
);
both(
  'event publish no seatmap',
  ['venue', 'add', 'Empty', '--city', 'Faro', '--timezone', 'Europe/Lisbon'],
  ['event', 'add', 'Nothing', '--venue', 'Empty', '--starts', '2027-03-01T20:00'],
  ['event', 'publish', 'Nothing'],
);
both('event publish no prices', ['event', 'add', 'Unpriced', '--venue', 'Riverside Theatre', '--starts', '2027-03-01T20:00'], ['event', 'publish', 'Unpriced']);
both('event publish twice', ['event', 'publish', 'Hamlet']);
both('event publish ok', ['event', 'publish', 'Hamlet (matinee)']);
both('event add unknown venue', ['event', 'add', 'X', '--venue', 'Nope', '--starts', '2027-03-01T20:00']);
both('event add bad starts', ['event', 'add', 'X', '--venue', 'Riverside Theatre', '--starts', 'tomorrow']);
both('event add past', ['event', 'add', 'X', '--venue', 'Riverside Theatre', '--starts', '2020-03-01T20:00']);
both('event add dup', ['event', 'add', 'Hamlet', '--venue', 'Riverside Theatre', '--starts', '2027-01-11T20:00']);
both('event add bad type', ['event', 'add', 'X', '--venue', 'Riverside Theatre', '--starts', '2027-03-01T20:00', '--type', 'circus']);
both('event cancel with sales', SALE, ['event', 'cancel', 'Hamlet']);
both('event cancel with sales yes', SALE, ['event', 'cancel', 'Hamlet', '--yes']);
both('event show unknown', ['event', 'show', 'Nope']);
both('event show', ['event', 'show', 'Hamlet']);
both('event list', ['event', 'list']);
both('venue show unknown', ['venue', 'show', 'Nope']);
both('venue show', ['venue', 'show', 'Riverside Theatre']);
both('venue add bad tz', ['venue', 'add', 'X', '--city', 'Y', '--timezone', 'Mars/Base']);
both('venue add dup', ['venue', 'add', 'Riverside Theatre', '--city', 'Lisbon', '--timezone', 'Europe/Lisbon']);
both('seatmap generate unknown venue', ['venue', 'seatmap', 'generate', 'Nope', '--section', 'S', '--rows', 'A-B', '--seats', '1-2']);
both('seatmap generate bad rows', ['venue', 'seatmap', 'generate', 'Riverside Theatre', '--section', 'S', '--rows', 'A--B', '--seats', '1-2']);
both('seatmap generate rows+capacity', ['venue', 'seatmap', 'generate', 'Riverside Theatre', '--section', 'S', '--rows', 'A-B', '--seats', '1-2', '--capacity', '4']);
both('seatmap generate none', ['venue', 'seatmap', 'generate', 'Riverside Theatre', '--section', 'S']);
both('seatmap generate existing', ['venue', 'seatmap', 'generate', 'Riverside Theatre', '--section', 'Stalls', '--rows', 'A-B', '--seats', '1-2']);

// ---- staff, login
both('staff add first not admin', ['staff', 'add', 'cleo', '--role', 'clerk', '--pin', '2222']);
both('staff add bad pin', ['staff', 'add', 'ana', '--role', 'admin', '--pin', '12']);
both('staff add bad role', ['staff', 'add', 'ana', '--role', 'boss', '--pin', '1234']);
both('staff add no pin', ['staff', 'add', 'ana', '--role', 'admin']);
both('staff add dup', ...STAFF, [ADMIN, 'staff', 'add', 'cleo', '--role', 'clerk', '--pin', '2222']);
both('staff add as clerk', ...STAFF, [CLERK, 'staff', 'add', 'zed', '--role', 'clerk', '--pin', '2222']);
both('staff list', ...STAFF, [ADMIN, 'staff', 'list']);
both('staff disable unknown', ...STAFF, [ADMIN, 'staff', 'disable', 'zed']);
both('staff disable self', ...STAFF, [ADMIN, 'staff', 'disable', 'ana']);
both('staff unlock not locked', ...STAFF, [ADMIN, 'staff', 'unlock', 'cleo']);
both('staff pin', ...STAFF, [{ ...ADMIN, BOXOFFICE_NEW_PIN: '12' }, 'staff', 'pin', 'cleo']);
both('login no staff', [{ BOXOFFICE_PIN: '1234' }, 'login', 'ana']);
both('login unknown', ...STAFF, [{ BOXOFFICE_PIN: '1234' }, 'login', 'zed']);
both('login no name', ...STAFF, [{ BOXOFFICE_PIN: '1234' }, 'login']);
both('login no pin', ...STAFF, ['login', 'ana']);
both('login wrong pin', ...STAFF, [{ BOXOFFICE_PIN: '9999' }, 'login', 'ana']);
both('login bad hours', ...STAFF, [{ BOXOFFICE_PIN: '1111' }, 'login', 'ana', '--hours', '500']);
both('login ok', ...STAFF, [{ BOXOFFICE_PIN: '1111' }, 'login', 'ana', '--hours', '8']);
both('login disabled', ...STAFF, [ADMIN, 'staff', 'disable', 'cleo'], [{ BOXOFFICE_PIN: '2222' }, 'login', 'cleo']);
both('whoami', ...STAFF, [CLERK, 'whoami']);
both('whoami single', ['whoami']);
both('logout none', ['logout']);
both('log as clerk', ...STAFF, [CLERK, 'log']);
both('log', ['log', '--limit', '3']);

// ---- customers, leads
both('customer show as clerk', ...STAFF, [ADMIN, ...SALE], [CLERK, 'customer', 'show', '1']);
both('customer show by email as clerk', ...STAFF, [ADMIN, ...SALE], [CLERK, 'customer', 'show', 'bo@example.com']);
both('customer show unknown', ['customer', 'show', '99']);
both('customer show', SALE, ['customer', 'show', 'bo@example.com']);
both('customer list', SALE, ['customer', 'list']);
both('customer list as door', ...STAFF, [ADMIN, ...SALE], [DOOR, 'customer', 'list']);
both('lead add bad email', ['lead', 'add', 'nope']);
both('lead add ok', ['lead', 'add', 'l@example.com', '--name', 'L']);
both('lead add dup', ['lead', 'add', 'l@example.com'], ['lead', 'add', 'l@example.com']);
both('lead list', ['lead', 'add', 'l@example.com'], ['lead', 'list']);

// ---- import / export
const write = (name, text) => ['!write', name, text];
both('import bad rows', write('v.csv', 'name,city,timezone\nA,,Europe/Lisbon\nB,Porto,Mars/X\n'), ['import', 'venues', '{DIR}/v.csv']);
both('import bad rows dry', write('v.csv', 'name,city,timezone\nA,,Europe/Lisbon\nB,Porto,Mars/X\n'), ['import', 'venues', '{DIR}/v.csv', '--dry-run']);
both('import venues ok', write('v.csv', 'name,city,timezone\nA,Faro,Europe/Lisbon\n'), ['import', 'venues', '{DIR}/v.csv']);
both('import venues ok dry', write('v.csv', 'name,city,timezone\nA,Faro,Europe/Lisbon\n'), ['import', 'venues', '{DIR}/v.csv', '--dry-run']);
both('import seatmap no venue', write('s.csv', 'section,row,seat\nS,A,1\n'), ['import', 'seatmap', '{DIR}/s.csv']);
both('import seatmap no venue dry', write('s.csv', 'section,row,seat\nS,A,1\n'), ['import', 'seatmap', '{DIR}/s.csv', '--dry-run']);
both('import seatmap unknown venue', write('s.csv', 'section,row,seat\nS,A,1\n'), ['import', 'seatmap', '{DIR}/s.csv', '--venue', 'Nope']);
both('import seatmap ok', write('s.csv', 'section,row,seat\nS,A,1\n'), ['import', 'seatmap', '{DIR}/s.csv', '--venue', 'Riverside Theatre']);
both('import seatmap bad rows', write('s.csv', 'section,row,seat,x\nS,A,x,1\nS,,1,y\n'), ['import', 'seatmap', '{DIR}/s.csv', '--venue', 'Riverside Theatre']);
both('import events bad', write('e.csv', 'name,venue,starts\nX,Nope,2027-03-01T20:00\nY,Riverside Theatre,never\n'), ['import', 'events', '{DIR}/e.csv']);
both('import leads bad', write('l.csv', 'email,name\nnope,X\n,Y\n'), ['import', 'leads', '{DIR}/l.csv']);
both('import leads ok', write('l.csv', 'email,name\na@example.com,X\n'), ['import', 'leads', '{DIR}/l.csv']);
both('import unknown kind', write('l.csv', 'email\n'), ['import', 'cats', '{DIR}/l.csv']);
both('import missing file', ['import', 'leads', '{DIR}/none.csv']);
both('import bad header', write('l.csv', 'foo,bar\n1,2\n'), ['import', 'leads', '{DIR}/l.csv']);
both('export bad format', ['export', 'orders', '--format', 'xml']);
both('export customers event', ['export', 'customers', '--event', 'Hamlet']);
both('export unknown kind', ['export', 'cats']);
both('export orders', SALE, ['export', 'orders']);
both('export tickets', SALE, ['export', 'tickets', '--event', 'Hamlet']);
both('export sales', SALE, ['export', 'sales']);
both('export customers', SALE, ['export', 'customers']);
both('export unknown event', ['export', 'orders', '--event', 'Nope']);
both('export output exists', write('o.csv', 'x'), ['export', 'orders', '-o', '{DIR}/o.csv']);
both('export output force', write('o.csv', 'x'), ['export', 'orders', '-o', '{DIR}/o.csv', '--force']);
both('export customers as clerk', ...STAFF, [CLERK, 'export', 'customers']);

// ---- sync
both('sync consumer+since', ['sync', 'export', '--consumer', 'a', '--since', '3']);
both('sync since bad', ['sync', 'export', '--since', 'x']);
both('sync status unknown consumer', ['sync', 'status', 'nobody']);
both('sync status', ['sync', 'status']);
both('sync export', ['sync', 'export', '--since', '0', '--batch', '2']);
both('sync export consumer', ['sync', 'export', '--consumer', 'bi'], ['sync', 'status']);
both('sync bad batch', ['sync', 'export', '--batch', '0']);
both('sync bad url', ['sync', 'export', '--to', 'ftp://x']);

// ---- reports
both('cashup float bad', SALE, ['report', 'cashup', '--float', 'x']);
both('cashup counted bad', SALE, ['report', 'cashup', '--counted', '-3']);
both('cashup currency unknown', SALE, ['report', 'cashup', '--currency', 'USD']);
both('cashup currency bad', SALE, ['report', 'cashup', '--currency', 'euros']);
both('cashup operator unknown', SALE, ['report', 'cashup', '--operator', 'zed']);
both('cashup float+counted', SALE, ['report', 'cashup', '--float', '10', '--counted', '10']);
both('cashup close no count', SALE, ['report', 'cashup', '--close']);
both('cashup', SALE, ['report', 'cashup']);
both('cashup float', SALE, ['report', 'cashup', '--float', '100']);
both('cashup close', SALE, ['report', 'cashup', '--counted', '50'], ['report', 'cashup', '--close']);
both('cashup as clerk other', ...STAFF, [CLERK, 'report', 'cashup', '--operator', 'ana']);
both('cashup staff', ...STAFF, [CLERK, ...SALE], [CLERK, 'report', 'cashup']);
both('sales bad from', ['report', 'sales', '--from', '2027-13-01']);
both('sales bad to', ['report', 'sales', '--to', 'yesterday']);
both('sales from after to', ['report', 'sales', '--from', '2027-02-01', '--to', '2027-01-01']);
both('sales ok', SALE, ['report', 'sales']);
both('sales event', SALE, ['report', 'sales', '--event', 'Hamlet', '--from', '2027-01-01', '--to', '2027-01-31']);
both('sales unknown operator', ['report', 'sales', '--operator', 'zed']);
both('sales unknown event', ['report', 'sales', '--event', 'Nope']);
both('zreports unknown number', ['report', 'zreports', '--number', '7']);
both('zreports bad number', ['report', 'zreports', '--number', 'x']);
both('zreports', ['report', 'zreports']);
both('zreports verify', ['report', 'zreports', '--verify']);
both('leads report', ['report', 'leads']);

// ---- tickets / mail
both('tickets email no address', SALE_NOMAIL, ['tickets', 'email', '{O0}']);
both('tickets email ok', SALE_NOMAIL, ['tickets', 'email', '{O0}', '--to', 'x@example.com']);
both('tickets email bad to', SALE_NOMAIL, ['tickets', 'email', '{O0}', '--to', 'x']);
both('tickets email hold', HOLD, ['tickets', 'email', '{O0}']);
both('tickets email unknown', ['tickets', 'email', 'ZZZZZZ']);
both('tickets print needs printer', SALE, [{ BOXOFFICE_PRINT_COMMAND: 'echo {printer} {file}' }, 'tickets', 'print', '{O0}']);
both('tickets print hold', HOLD, [{ BOXOFFICE_PRINT_COMMAND: 'true' }, 'tickets', 'print', '{O0}']);
both('tickets print output exists', SALE, write('p.pdf', 'x'), [{ BOXOFFICE_PRINT_COMMAND: 'true' }, 'tickets', 'print', '{O0}', '-o', '{DIR}/p.pdf']);
both('tickets print ok', SALE, [{ BOXOFFICE_PRINT_COMMAND: 'true', BOXOFFICE_PRINTER: 'P1' }, 'tickets', 'print', '{O0}']);
both('tickets print fails', SALE, [{ BOXOFFICE_PRINT_COMMAND: 'false', BOXOFFICE_PRINTER: 'P1' }, 'tickets', 'print', '{O0}']);
both('tickets pdf exists', SALE, write('t.pdf', 'x'), ['tickets', 'pdf', '{O0}', '-o', '{DIR}/t.pdf']);
both('tickets pdf ok', SALE, ['tickets', 'pdf', '{O0}', '-o', '{DIR}/t.pdf']);
both('tickets pdf hold', HOLD, ['tickets', 'pdf', '{O0}', '-o', '{DIR}/t.pdf']);
both('tickets pdf event as clerk', ...STAFF, [CLERK, 'tickets', 'pdf', '--event', 'Hamlet', '-o', '{DIR}/t.pdf']);
both('tickets pdf bad layout', SALE, ['tickets', 'pdf', '{O0}', '--layout', 'x', '-o', '{DIR}/t.pdf']);
both('tickets show', SALE, ['tickets', 'show', '{T0}']);
both('tickets show unknown', ['tickets', 'show', 'NOPE']);
both('tickets reissue', SALE, ['tickets', 'reissue', '{T0}']);
both('tickets reissue used', SALE, ['checkin', '{T0}'], ['tickets', 'reissue', '{T0}']);
both('tickets reissue refunded', SALE, ['order', 'refund', '{O0}', '--yes'], ['tickets', 'reissue', '{T0}']);
both('mail show unknown', ['mail', 'show', '99']);
both('mail list', ['sell', 'Hamlet', '--seats', 'Stalls:A-9', '--tier', 'Child', '--pay', 'cash', '--email', 'x@example.com', '--send'], ['mail', 'list']);
both('mail show', ['sell', 'Hamlet', '--seats', 'Stalls:A-9', '--tier', 'Child', '--pay', 'cash', '--email', 'x@example.com', '--send'], ['mail', 'show', '1']);
both('mail retry unknown', ['mail', 'retry', '99']);
both('mail list bad status', ['mail', 'list', '--status', 'lost']);
both('mail as door', ...STAFF, [DOOR, 'mail', 'list']);

// ---- clock, config, misc
both(
  'now on live db',
  [{ BOXOFFICE_NOW: '' }, 'staff', 'add', 'ana', '--role', 'admin', '--pin', '1111'],
  [{ ...ADMIN, BOXOFFICE_NOW: '2027-01-10T12:00:00Z' }, 'sell', 'Hamlet', '--seats', 'Stalls:D-1', '--tier', 'Adult', '--pay', 'cash'],
);
both('now on live db read', [{ BOXOFFICE_NOW: '' }, 'staff', 'add', 'ana', '--role', 'admin', '--pin', '1111'], [{ ...ADMIN, BOXOFFICE_NOW: '2027-01-10T12:00:00Z' }, 'event', 'list']);
both('now bad', [{ BOXOFFICE_NOW: 'soon' }, 'event', 'list']);
both('now backdated', SALE, [{ BOXOFFICE_NOW: '2026-01-01T00:00:00Z' }, ...SALE_NOMAIL]);
both('config get unknown', ['config', 'get', 'nope']);
both('config set bad', ['config', 'set', 'lang', 'fr']);
both('config list', ['config', 'list']);
both('expire', HOLD, [{ BOXOFFICE_NOW: '2027-01-10T12:00:00Z' }, 'expire']);
both('unknown command', ['frobnicate']);
both('unknown option', ['event', 'list', '--frob']);
both('missing arg', ['sell']);
both('backup exists', write('b.db', 'x'), ['backup', '{DIR}/b.db']);
both('order limit env bad', [{ BOXOFFICE_ORDER_LIMIT: 'x' }, 'sell', 'Hamlet', '--seats', 'Stalls:A-1', '--tier', 'Adult', '--pay', 'cash']);
both('lang env bad', [{ BOXOFFICE_LANG: 'fr' }, 'tickets', 'pdf', 'ZZZZZZ']);
both('init again demo', ['init', '--demo']);

// ---- the runner
const skip = process.env.SKIP_DONE
  ? new Set(
      fs
        .readdirSync(process.env.SKIP_DONE)
        .filter((f) => f.endsWith('.new'))
        .map((f) => f.slice(0, -4)),
    )
  : new Set();
const slugOf = (name) => name.replace(/[^a-z0-9]+/gi, '_');
const cases0 = (filter ? C.filter((c) => c.name.includes(filter)) : C).filter((c) => !skip.has(slugOf(c.name)));
const cases = process.env.REVERSE ? cases0.reverse() : cases0;
const ORDER = /\b[ACDEFGHJKMNPQRTUVWXY34679]{6}\b/g;
const TICKET = /\b[0-9A-HJKMNP-TV-Z]{26}\b/g;

function run(root, args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'boxoffice'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// One demo database per binary (and one with STAFF added), copied for every case: init and the
// staff's PIN hashing are most of a case's time otherwise.
const templates = new Map();
async function template(root, staffed) {
  const key = `${root}:${staffed}`;
  if (!templates.has(key)) {
    templates.set(
      key,
      (async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffcli-tpl-'));
        const db = path.join(dir, 'box.db');
        const env = { PATH: process.env.PATH, HOME: dir, BOXOFFICE_DB: db, TZ: 'UTC' };
        let minute = 0;
        const steps = [['init', '--demo'], ...(staffed ? [['init', '--rehearsal'], ...STAFF] : [])];
        for (const step of steps) {
          const extra = typeof step[0] === 'object' ? step[0] : {};
          const args = typeof step[0] === 'object' ? step.slice(1) : step;
          const r = await run(root, args, { ...env, BOXOFFICE_NOW: `2027-01-10T10:${String(minute++).padStart(2, '0')}:00Z`, ...extra });
          if (r.code !== 0) throw new Error(`template ${args.join(' ')}: ${r.stderr}`);
        }
        return { db, minutes: minute };
      })(),
    );
  }
  return templates.get(key);
}

async function runCase(root, c) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diffcli-'));
  fs.mkdirSync(path.join(dir, 'home'));
  const db = path.join(dir, 'box.db');
  const orders = [];
  const tickets = [];
  const learn = (text) => {
    for (const m of text.matchAll(/"code":"([0-9A-Z]+)"/g)) {
      const list = m[1].length === 6 ? orders : tickets;
      if (!list.includes(m[1])) list.push(m[1]);
    }
  };
  const staffed = STAFF.every((s, i) => c.steps[i] === s);
  const tpl = await template(root, staffed);
  fs.copyFileSync(tpl.db, db);
  const steps = staffed ? c.steps.slice(STAFF.length) : c.steps;
  let minute = tpl.minutes;
  const at = () => `2027-01-10T10:${String(minute++).padStart(2, '0')}:00Z`;
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: path.join(dir, 'home'),
    XDG_CONFIG_HOME: path.join(dir, 'home', '.config'),
    XDG_DATA_HOME: path.join(dir, 'home', '.local'),
    BOXOFFICE_DB: db,
    TZ: 'UTC',
  };
  const out = [];
  for (const [i, step] of steps.entries()) {
    if (step[0] === '!write') {
      fs.writeFileSync(path.join(dir, step[1]), step[2]);
      continue;
    }
    const env = typeof step[0] === 'object' ? step[0] : {};
    const args = (typeof step[0] === 'object' ? step.slice(1) : step).map((a) =>
      a
        .replace(/\{O(\d+)\}/g, (_, n) => orders[n] ?? `?O${n}`)
        .replace(/\{T(\d+)\}/g, (_, n) => tickets[n] ?? `?T${n}`)
        .replace(/\{DIR\}/g, dir),
    );
    const e = { ...baseEnv, BOXOFFICE_NOW: at(), ...env };
    if (e.BOXOFFICE_NOW === '') delete e.BOXOFFICE_NOW;
    const r = await run(root, args, e);
    learn(r.stdout);
    learn(r.stderr);
    const last = i === steps.length - 1;
    out.push(`$ ${step.map((a) => (typeof a === 'object' ? JSON.stringify(a) : a)).join(' ')}\n(exit ${r.code})\n${last || r.code !== 0 ? `${r.stdout}\nstderr: ${r.stderr}` : ''}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // Masks: codes by first appearance, uuids, ms, the temp dir.
  let text = out.join('\n');
  text = text.split(dir).join('<DIR>');
  const seen = new Map();
  const mask = (re, tag) =>
    (text = text.replace(re, (m) => {
      if (!seen.has(m)) seen.set(m, `<${tag}${[...seen.values()].filter((v) => v.startsWith(`<${tag}`)).length}>`);
      return seen.get(m);
    }));
  mask(TICKET, 'T');
  mask(ORDER, 'O');
  text = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
  text = text.replace(/(T\d\d:\d\d):\d\d\.\d{3}Z/g, '$1:ss.mmmZ').replace(/"seconds":\d+/g, '"seconds":<s>');
  text = text.replace(/diffcli-[A-Za-z0-9]+/g, 'diffcli-X');
  // A PDF's size follows its random codes (QR codes, text); a print spool file is named by pid.
  text = text.replace(/"bytes":\d+/g, '"bytes":<n>').replace(/(tickets-<O\d+>-\d{8}T\d{6})-\d+\.pdf/g, '$1-<pid>.pdf');
  return text;
}

async function pooled(items, width, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

const outDir = process.env.OUT ?? fs.mkdtempSync(path.join(os.tmpdir(), 'diffcli-out-'));
fs.mkdirSync(outDir, { recursive: true });
let differ = 0;
await pooled(cases, Number(process.env.WIDTH ?? 2), async (c) => {
  if (fs.existsSync(path.join(outDir, `${slugOf(c.name)}.new`))) return;
  const [a, b] = await Promise.all([runCase(oldRoot, c), runCase(newRoot, c)]);
  const slug = slugOf(c.name);
  fs.writeFileSync(path.join(outDir, `${slug}.old`), a);
  fs.writeFileSync(path.join(outDir, `${slug}.new`), b);
  if (a !== b) {
    differ++;
    console.log(`DIFF ${c.name}  (${outDir}/${slug}.{old,new})`);
  }
});
console.log(`${cases.length} cases, ${differ} differ; transcripts in ${outDir}`);
process.exit(differ ? 1 : 0);
