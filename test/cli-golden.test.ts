// What users see, recorded: after a scripted evening at the box office (test/helpers/transcript.ts)
// every write's JSON, every read-only command's output (piped, --json, at a terminal) and the
// refusals' messages and exit codes are compared with test/golden/cli/. A change to any of them
// shows up in review as a change to those files; make one deliberately with
// `npx vitest run --project sqlite test/cli-golden.test.ts -u` and read the diff.
import { describe, expect, it } from 'vitest';
import { onPostgres } from './helpers/db.js';
import { boxOn, masked, readAll, seed, type Transcript } from './helpers/transcript.js';

describe.skipIf(onPostgres)('what the CLI prints (PostgreSQL prints the same: test/pg-same-output.test.ts)', () => {
  it('after the same steps, prints what was recorded', async () => {
    const box = boxOn(undefined) as Transcript & { next: number };
    seed(box);
    const reads = await readAll(box);
    await expect(masked(box, box.writes.join('\n'))).toMatchFileSnapshot('golden/cli/writes.txt');
    await expect(reads).toMatchFileSnapshot('golden/cli/reads.txt');
  }, 300_000);
});
