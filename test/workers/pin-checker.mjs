// One process trying a wrong PIN for one staff member through the compiled PIN guard (dist/):
// startPinCheck, then waits for "finish" on stdin (where the KDF would run), then finishPinCheck
// with a wrong PIN. Prints {"started":true} or {"refused":"<message>"} as soon as it knows.
// For test/pg-leases.test.ts. Usage: node test/workers/pin-checker.mjs '{"db":…,"staffId":1,"name":"Ana"}'
import readline from 'node:readline';
import { openDatabase } from '../../dist/db/connection.js';
import { finishPinCheck, startPinCheck } from '../../dist/core/staff/pin-guard.js';
import { BoxofficeError } from '../../dist/core/errors.js';

const config = JSON.parse(process.argv[2]);
const handle = await openDatabase(config.db);
const member = { id: config.staffId, name: config.name };
try {
  let check;
  try {
    check = await startPinCheck(handle.db, member);
  } catch (err) {
    if (!(err instanceof BoxofficeError)) throw err;
    process.stdout.write(`${JSON.stringify({ refused: err.message })}\n`);
  }
  if (check) {
    process.stdout.write(`${JSON.stringify({ started: true })}\n`);
    const lines = readline.createInterface({ input: process.stdin });
    for await (const line of lines) if (line.trim() === 'finish') break;
    lines.close();
    await finishPinCheck(handle.db, check, member, { ok: false });
  }
} finally {
  await handle.close();
}
