// The layers' rules, read from the source: each front reaches the database only through the one
// place that opens it, the core knows no front, the application surface knows no front, the
// command line has no import circles, and the process is ended in one place. A rule broken
// fails here with the file and the import that break it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'src');

/** Every .ts/.tsx file under `dir`, as a path relative to the repository (src/cli/program.ts). */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path.relative(ROOT, full)] : [];
  });
}

/** A comment-free copy, so a comment that names an import or process.exit is not mistaken for one. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

interface Import {
  /** The imported file, relative to the repository (src/db/target.ts), or the package name. */
  target: string;
  /** `import type …` / `export type … from`: gone at run time. */
  typeOnly: boolean;
}

/** The modules `file` imports: static imports, re-exports and import() calls. */
export function importsOf(file: string, text = fs.readFileSync(path.join(ROOT, file), 'utf8')): Import[] {
  const found: Import[] = [];
  const body = code(text);
  const statement = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (const m of body.matchAll(statement)) found.push({ target: m[3], typeOnly: Boolean(m[2]) });
  for (const m of body.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ target: m[1], typeOnly: false });
  return found.map((i) => ({ ...i, target: resolve(file, i.target) }));
}

function resolve(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const joined = path.join(path.dirname(file), specifier);
  const base = joined.replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) if (fs.existsSync(path.join(ROOT, candidate))) return candidate;
  return joined;
}

const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);

/** `file imports target` for each import from files `from` selects into files `into` selects. */
function crossings(files: string[], from: (file: string) => boolean, into: (target: string) => boolean): string[] {
  return files.filter(from).flatMap((file) =>
    importsOf(file)
      .filter((i) => into(i.target))
      .map((i) => `${file} imports ${i.target}`),
  );
}

/** Import circles among `files` (run-time imports only), each as the path that closes it. */
export function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

function graphOf(files: string[]): Map<string, string[]> {
  const inside = new Set(files);
  return new Map(
    files.map((file) => [
      file,
      importsOf(file)
        .filter((i) => !i.typeOnly && inside.has(i.target))
        .map((i) => i.target),
    ]),
  );
}

const ALL = sources(SRC);

describe('the layers', () => {
  it('src/cli reaches src/db only through the place that opens the database; src/ui never', () => {
    const front = (file: string) => (under('src/cli')(file) && file !== 'src/cli/runtime/context.ts') || under('src/ui')(file);
    expect(crossings(ALL, front, under('src/db'))).toEqual([]);
  });

  it('src/core imports no front and not the application surface', () => {
    expect(crossings(ALL, under('src/core'), (t) => under('src/cli')(t) || under('src/ui')(t) || under('src/app')(t))).toEqual([]);
  });

  it('src/app imports no front', () => {
    expect(crossings(ALL, under('src/app'), (t) => under('src/cli')(t) || under('src/ui')(t))).toEqual([]);
  });

  it('src/cli has no import circles', () => {
    expect(circles(graphOf(ALL.filter(under('src/cli')))).map((c) => c.join(' → '))).toEqual([]);
  });

  it('only src/main.ts ends the process (process.exit, process.exitCode)', () => {
    const ending = ALL.filter((file) => /\bprocess\.exit(Code)?\b/.test(code(fs.readFileSync(path.join(ROOT, file), 'utf8'))));
    expect(ending).toEqual(['src/main.ts']);
  });
});

describe('the rules catch what they are for', () => {
  it('reads imports of every form, and tells type-only ones', () => {
    const text = [
      "import { a } from '../db/target.js';",
      "import type { B } from './b.js';",
      "export { c } from '../db/fold.js';",
      "const d = await import('../ui/app.js');",
      "// import { e } from '../db/e.js';",
    ].join('\n');
    expect(importsOf('src/cli/x.ts', text)).toEqual([
      { target: 'src/db/target.ts', typeOnly: false },
      { target: 'src/cli/b.js', typeOnly: true },
      { target: 'src/db/fold.ts', typeOnly: false },
      { target: 'src/ui/app.tsx', typeOnly: false },
    ]);
  });

  it('finds a circle', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(graph)).toEqual([['a', 'b', 'c', 'a']]);
  });
});
