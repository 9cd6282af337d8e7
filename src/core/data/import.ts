// `boxoffice import`: all or nothing. The file is read, every row validated and the changes
// staged against the database without holding the write lock; then one short write transaction
// applies them. One bad row imports nothing, and every bad row is named by file, line and column.
import path from 'node:path';
import type { Queryable, Trx } from '../../db/transaction.js';
import { writeTransaction } from '../../db/transaction.js';
import { BoxofficeError, invalid } from '../errors.js';
import type { CoreContext } from '../context.js';
import { requireRole, type Action } from '../staff/permissions.js';
import { FORMATS, IMPORT_KINDS, type ImportKind } from './import-formats.js';
import { readSource, type ImportIssue, type ImportProgress, type SourceRecord } from './source.js';
import { planEvents, planLeads, planPrices, planSeatmap, planVenues, type Planner, type Staged } from './import-plans.js';

export type { ImportIssue, ImportProgress } from './source.js';
export { IMPORT_KINDS, type ImportKind } from './import-formats.js';

export interface ImportOptions {
  kind: string;
  file: string;
  /** Plan only: say what would be created or updated, write nothing. */
  dryRun?: boolean;
  /** Seat maps: the venue every row belongs to (rows may then leave `venue` empty). */
  venue?: string;
  /** How many bad rows to list before counting the rest. */
  maxIssues?: number;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportChange {
  line: number;
  action: 'create' | 'update' | 'unchanged';
  /** What the row is about, in words: `Stalls:A-1`, `ana@example.com`, `Gala / Adult`. */
  what: string;
  /** For updates: each changed field, from → to. */
  changes?: Record<string, { from: unknown; to: unknown }>;
}

export interface ImportResult {
  kind: ImportKind;
  file: string;
  format: 'csv' | 'json';
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  changes: ImportChange[];
}

const roles: Record<ImportKind, Action> = {
  venues: 'manage_venues',
  seatmap: 'manage_venues',
  events: 'manage_events',
  prices: 'manage_events',
  leads: 'manage_events',
};

const planners: Record<ImportKind, Planner<any>> = {
  venues: planVenues,
  seatmap: planSeatmap,
  events: planEvents,
  prices: planPrices,
  leads: planLeads,
};

export const DEFAULT_MAX_ISSUES = 100;

/** Collects problems up to a limit, counting all of them. */
export class IssueList {
  readonly items: ImportIssue[] = [];
  total = 0;
  constructor(
    readonly limit: number,
    private readonly columns: string[],
  ) {}
  add(issue: ImportIssue): void {
    this.total++;
    if (this.items.length < this.limit) this.items.push(issue);
  }
  /** A problem with one field of a row; the column number comes from the file's header. */
  at(line: number, field: string | undefined, message: string): void {
    const index = field ? this.columns.indexOf(field) : -1;
    this.add({ line, ...(index >= 0 ? { column: index + 1 } : {}), ...(field ? { field } : {}), message });
  }
}

/** `leads.csv:12:3: email: not an email address` — the shape editors and people both read. */
export function formatIssue(file: string, issue: ImportIssue): string {
  const place = `${file}:${issue.line}${issue.column ? `:${issue.column}` : ''}`;
  return `${place}: ${issue.field ? `${issue.field}: ` : ''}${issue.message}`;
}

function importRefused(file: string, issues: IssueList): BoxofficeError {
  const sorted = [...issues.items].sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  const lines = sorted.map((i) => `  ${formatIssue(file, i)}`);
  if (issues.total > sorted.length) lines.push(`  … and ${issues.total - sorted.length} more`);
  const count = issues.total === 1 ? '1 problem' : `${issues.total} problems`;
  return new BoxofficeError(
    'invalid_input',
    `${file}: ${count}; nothing was imported\n${lines.join('\n')}`,
    'fix the rows named above and import again (add --dry-run to check without writing)',
    { file, problems: issues.total, errors: sorted },
  );
}

/** The outbox's last sequence number: every change to what an import reads appends to it. */
async function dataVersion(db: Queryable): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** Imports a CSV or JSON file of one kind: every row, or (on any bad row) none. */
export async function importFile(ctx: CoreContext, options: ImportOptions): Promise<ImportResult> {
  const kind = options.kind.trim().toLowerCase() as ImportKind;
  if (!IMPORT_KINDS.includes(kind)) throw invalid(`cannot import ${JSON.stringify(options.kind)}`, `import one of: ${IMPORT_KINDS.join(', ')}`);
  if (options.venue !== undefined && kind !== 'seatmap') throw invalid('--venue is for seat map imports');
  requireRole(ctx.actor, roles[kind]);
  const file = options.file;
  const name = file;
  const format = FORMATS[kind];

  const source = await readSource(path.resolve(file), { columns: format.columns, required: format.required, onProgress: options.onProgress });
  const issues = new IssueList(options.maxIssues ?? DEFAULT_MAX_ISSUES, source.format === 'csv' ? source.columns : []);
  for (const i of source.issues) issues.add(i);
  if (source.records.length === 0 && issues.total === 0) issues.add({ line: 2, message: 'the file has no rows to import' });

  // Every row is checked, so the user sees all the bad ones at once, not one per attempt.
  const rows: { line: number; row: unknown }[] = [];
  let checked = 0;
  for (const record of source.records) {
    const parsed = format.schema.safeParse(record.fields);
    if (parsed.success) rows.push({ line: record.line, row: parsed.data });
    else for (const iss of parsed.error.issues) issues.at(record.line, iss.path[0] as string | undefined, iss.message);
    if (options.onProgress && ++checked % 5000 === 0) {
      options.onProgress({ phase: 'checking', bytes: checked, totalBytes: source.records.length, rows: checked });
    }
  }
  // Rows that passed are still staged when others failed, so references (an unknown venue or
  // event) and duplicates are reported in the same run.
  if (issues.total > 0) {
    if (rows.length && source.issues.length === 0) await planners[kind](ctx.db, ctx, rows as never, issues, { venue: options.venue });
    throw importRefused(name, issues);
  }

  const planner = planners[kind];
  const plan = async (db: Queryable): Promise<Staged> => {
    const staged = await planner(db, ctx, rows as never, issues, { venue: options.venue });
    if (issues.total > 0) throw importRefused(name, issues);
    return staged;
  };
  const version = await dataVersion(ctx.db);
  let staged = await plan(ctx.db);
  const summarise = (s: Staged): ImportResult => ({
    kind,
    file: name,
    format: source.format,
    dryRun: Boolean(options.dryRun),
    rows: rows.length,
    created: s.changes.filter((c) => c.action === 'create').length,
    updated: s.changes.filter((c) => c.action === 'update').length,
    unchanged: s.changes.filter((c) => c.action === 'unchanged').length,
    changes: s.changes,
  });
  const result = summarise(staged);
  // A re-import of the same file has nothing to do, and touches nothing.
  if (options.dryRun || result.created + result.updated === 0) return result;

  options.onProgress?.({ phase: 'writing', bytes: 0, totalBytes: 0, rows: rows.length });
  await writeTransaction(ctx.db, async (trx: Trx) => {
    // Someone changed the data while we staged: stage again, now under the lock.
    if ((await dataVersion(trx)) !== version) {
      staged = await plan(trx);
    }
    await staged.apply(trx);
  });
  return summarise(staged);
}

export type { SourceRecord };
