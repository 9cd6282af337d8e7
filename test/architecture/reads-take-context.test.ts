// Reads take the operator's context (issue 13): a core function that hands out personal data must
// know who asks, so it can check their role. This walks every module of src/core with the
// TypeScript compiler and fails on an exported function whose first parameter is a bare database
// handle and whose result carries personal data (a step of a transaction that takes the context
// beside its transaction, `(trx, ctx, …)`, has the operator and passes).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
// TypeScript 7's compiler API (the native compiler, asked over a pipe).
import { API, SignatureKind, TypeFlags, type Checker, type Type, type UnionOrIntersectionType } from 'typescript/unstable/sync';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CORE = join(ROOT, 'src', 'core');

/**
 * Properties that are personal data of the public (README "Who may read what"): how to reach a
 * customer, a lead or a buyer (email, phone), who they are (buyer…, customer…, a ticket's holder),
 * lists of customers and leads, and where a mail went. Staff names are not among them (they are
 * the box office's own, shown on every receipt), except as the operator of an audit log entry:
 * see isLogEntry. A bare `name` is not either: venues, events and tiers have one, and a customer's
 * name comes with their email.
 */
const PERSONAL = new Set([
  'email',
  'phone',
  'buyer',
  'buyerName',
  'buyerEmail',
  'buyerPhone',
  'customer',
  'customers',
  'customerName',
  'customerEmail',
  'customerPhone',
  'holder',
  'holderName',
  'leads',
]);

/** A mail's recipient: `to` or `recipient` beside a `subject` (a report's `to` is a date). */
const RECIPIENT = new Set(['to', 'recipient']);

/** The bare database handles of src/db (DB, Trx, Queryable) and the Kysely classes behind them. */
const HANDLE_ALIASES = new Set(['DB', 'Trx', 'Queryable']);
const HANDLE_CLASSES = new Set(['Kysely', 'Transaction', 'ControlledTransaction']);

/** How deep into a result's properties to look: a view, its parts, and their parts. */
const DEPTH = 4;

function coreFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return coreFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const members = (type: Type): readonly Type[] => (type as UnionOrIntersectionType).getTypes();

function isHandle(type: Type): boolean {
  const alias = type.getAliasSymbol()?.name;
  if (alias && HANDLE_ALIASES.has(alias)) return true;
  if (type.flags & TypeFlags.Union) return members(type).every(isHandle);
  const name = type.getSymbol()?.name;
  return name !== undefined && HANDLE_CLASSES.has(name);
}

/** The personal-data properties a value of `type` carries, as paths (`[].customer.email`). */
function personalPaths(checker: Checker, type: Type, depth: number, seen: Set<number>): string[] {
  if (depth > DEPTH || seen.has(type.id)) return [];
  seen.add(type.id);
  try {
    if (type.flags & (TypeFlags.Union | TypeFlags.Intersection)) return members(type).flatMap((t) => personalPaths(checker, t, depth, seen));
    if (!(type.flags & TypeFlags.Object)) return [];
    const name = type.getSymbol()?.name;
    // Awaited, arrays, tuples, maps and sets unwrapped: what they hold is what they return.
    const holders: Record<string, string> = { Promise: '', PromiseLike: '', Array: '[]', ReadonlyArray: '[]', Map: '<>', ReadonlyMap: '<>', Set: '<>', ReadonlySet: '<>' };
    if ((name !== undefined && name in holders) || checker.isArrayType(type) || checker.isTupleType(type)) {
      const prefix = name !== undefined && name in holders ? holders[name] : '[]';
      return checker.getTypeArguments(type as never).flatMap((t) => personalPaths(checker, t, depth, seen).map((p) => `${prefix}${p}`));
    }
    if (name === 'Date' || name === 'Buffer' || name === 'Uint8Array' || checker.getSignaturesOfType(type, SignatureKind.Call).length > 0) return [];
    const props = checker.getPropertiesOfType(type);
    const names = new Set(props.map((p) => p.name));
    const found: string[] = [];
    if ((names.has('operator') || names.has('actor')) && names.has('data')) found.push(names.has('operator') ? '.operator' : '.actor');
    for (const prop of props) {
      if (PERSONAL.has(prop.name) || (RECIPIENT.has(prop.name) && names.has('subject'))) {
        found.push(`.${prop.name}`);
        continue;
      }
      const propType = checker.getTypeOfSymbol(prop);
      if (propType) found.push(...personalPaths(checker, propType, depth + 1, seen).map((p) => `.${prop.name}${p}`));
    }
    return found;
  } finally {
    seen.delete(type.id);
  }
}

interface Offender {
  where: string;
  name: string;
  handle: string;
  personal: string[];
}

const api = new API({ cwd: ROOT });
afterAll(() => api.close());

/** The exported functions of the modules in `files` that take a bare handle first and return personal data. */
function offenders(files: string[]): Offender[] {
  const project = api.updateSnapshot({ openProjects: [join(ROOT, 'tsconfig.json')] }).getProjects()[0];
  const { checker } = project;
  const found: Offender[] = [];
  for (const file of files) {
    const source = project.program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${relative(ROOT, file)} is not in the project`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const type = checker.getTypeOfSymbol(exported);
      if (!type) continue;
      for (const signature of checker.getSignaturesOfType(type, SignatureKind.Call)) {
        const first = checker.getParameterType(signature, 0);
        if (!first || !isHandle(first)) continue;
        // A step of a transaction given the context beside it (`recordEvents(trx, ctx, …)`) knows who acts.
        const others = signature
          .getParameters()
          .slice(1)
          .map((_, i) => checker.getParameterType(signature, i + 1));
        if (others.some((t) => t?.getSymbol()?.name === 'CoreContext' || t?.getAliasSymbol()?.name === 'CoreContext')) continue;
        const returns = checker.getReturnTypeOfSignature(signature);
        const personal = returns ? [...new Set(personalPaths(checker, returns, 0, new Set()))] : [];
        if (personal.length === 0) continue;
        found.push({ where: relative(ROOT, file), name: exported.name, handle: checker.typeToString(first), personal });
        break;
      }
    }
  }
  return found;
}

const report = (list: Offender[]) => list.map((o) => `  ${o.where} ${o.name}(${o.handle}, …) returns ${o.personal.slice(0, 4).join(', ')}${o.personal.length > 4 ? ', …' : ''}`).join('\n');

describe('reads take the context', () => {
  it('no exported function of src/core takes a bare database handle and returns personal data', () => {
    const files = coreFiles(CORE);
    expect(files.length).toBeGreaterThan(50);
    const list = offenders(files);
    expect(list, `these take a bare database handle and return personal data; take the CoreContext first and check a role (requireRole):\n${report(list)}`).toEqual([]);
  }, 120_000);
});
