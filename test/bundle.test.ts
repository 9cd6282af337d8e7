// The bundle bin/boxoffice runs (dist/bundle/, made by scripts/build-bundle.mjs after tsc): it is
// current, V8 takes it from its code cache, and it answers exactly as the unbundled dist/ does.
// The other CLI tests all run the bundle through bin/boxoffice.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, preparedSandbox } from './helpers/cli.js';

const dist = (p: string) => path.join(ROOT, 'dist', p);

describe('the bundled command line (dist/bundle)', () => {
  it('is at least as new as tsc output, so bin/boxoffice runs it rather than dist/', () => {
    expect(fs.existsSync(dist('bundle/main.cjs')), 'run `npm run build` (tsc alone does not bundle)').toBe(true);
    expect(fs.statSync(dist('bundle/main.cjs')).mtimeMs).toBeGreaterThanOrEqual(fs.statSync(dist('main.js')).mtimeMs);
  });

  it('has a code cache that V8 accepts (else every command compiles the whole bundle again)', () => {
    const bundles = fs.readdirSync(dist('bundle')).filter((f) => /^cli-.+\.cjs$/.test(f));
    expect(bundles).toHaveLength(1);
    const file = dist(`bundle/${bundles[0]}`);
    const loader = pathToFileURL(path.join(ROOT, 'scripts', 'bundle-loader.mjs')).href;
    const probe = [
      `import fs from 'node:fs';`,
      `const { runBundle, cacheFileOf } = await import(${JSON.stringify(loader)});`,
      `const { script, exports } = runBundle(${JSON.stringify(file)}, fs.readFileSync(cacheFileOf(${JSON.stringify(file)})));`,
      `process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected, exports: Object.keys(exports).sort() }));`,
    ].join('\n');
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual({ rejected: false, exports: ['bufferIO', 'processIO', 'runCli'] });
  });

  describe('answers as the unbundled dist/ does', () => {
    const box = preparedSandbox();
    afterAll(() => box.cleanup());
    const env = { PATH: process.env.PATH ?? '', HOME: box.dir, BOXOFFICE_DB: box.db };
    const run = (entry: string, args: string[]) => spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', env, input: '' });

    it.each([
      [['event', 'list', '--json']],
      [['seats', 'Gala', '--section', 'Stalls', '--json']],
      [['sell', 'Gala', '--seats', 'Stalls:Z-99', '--tier', 'Adult', '--pay', 'cash', '--json']],
      [['--version']],
    ])('boxoffice %j', (args) => {
      const bundled = run(BIN, args);
      const unbundled = run(dist('main.js'), args);
      expect({ code: bundled.status, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual({ code: unbundled.status, stdout: unbundled.stdout, stderr: unbundled.stderr });
      expect(bundled.stdout.length + bundled.stderr.length).toBeGreaterThan(0);
    });
  });
});
