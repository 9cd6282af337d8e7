// `boxoffice import`: all or nothing. The file is read, every row validated and the changes
// planned against the database without holding the write lock; then one write transaction makes
// them. One bad row imports nothing, and every bad row is named by file, line and column. Rows
// stream through: each is checked and planned as it is read, and the planned writes wait in a
// scratch file (import-spool.ts), so memory does not grow with the file (for leads; the other
// kinds plan a whole file at once).
import path from 'node:path';
import type { Queryable, Trx } from '../../db/transaction.js';
import { isUniqueViolation, lockForTransaction, TransactionConflict, writeTransaction } from '../../db/transaction.js';
import { BoxofficeError, invalid } from '../errors.js';
import type { CoreContext } from '../context.js';
import { requireRole, type Action } from '../staff/permissions.js';
import { FORMATS, IMPORT_KINDS, type ImportKind } from './import-formats.js';
import { openSource, type ImportIssue, type ImportProgress, type SourceRecord } from './source.js';
import { planEvents, planLeads, planPrices, planSeatmap, planVenues, wholeFile, VENUE_NOT_NAMED, type Planner, type Staged } from './import-plans.js';
import { Spool } from './import-spool.js';
import { outboxVersion } from '../outbox/outbox.js';

export type { ImportIssue, ImportProgress } from './source.js';
export { IMPORT_KINDS, type ImportKind } from './import-formats.js';

export interface ImportOptions {
  kind: string;
  /** The file to read; `-` reads `input` (standard input). */
  file: string;
  /** What `-` reads. */
  input?: NodeJS.ReadableStream;
  /** Plan only: say what would be created or updated, write nothing. */
  dryRun?: boolean;
  /** Seat maps: the venue every row belongs to (rows may then leave `venue` empty). */
  venue?: string;
  /** How many bad rows to list before counting the rest. */
  maxIssues?: number;
  /**
   * List each row's change in the result (the default). Without it the result only counts them:
   * all a caller that shows the counts needs, in memory that does not grow with the file.
   */
  listChanges?: boolean;
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
  /** Each row's change, in file order (empty when `listChanges` was false). */
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
  venues: wholeFile(planVenues),
  seatmap: wholeFile(planSeatmap),
  events: wholeFile(planEvents),
  prices: wholeFile(planPrices),
  leads: planLeads,
};

export const DEFAULT_MAX_ISSUES = 100;

/** Collects problems up to a limit, counting all of them. */
export class IssueList {
  readonly items: ImportIssue[] = [];
  total = 0;
  /** Set by a planner whose problem the fronts word themselves (the refusal carries it). */
  reason?: 'seatmap_venue_not_named';
  constructor(
    readonly limit: number,
    /** The file's columns, to number them in problems (a CSV's header; none for JSON). */
    public columns: readonly string[],
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
  const refused = new BoxofficeError('invalid_input', `${file}: ${count}; nothing was imported\n${lines.join('\n')}`, 'fix the rows named above and import again (a dry run checks without writing)', {
    file,
    problems: issues.total,
    errors: sorted,
  });
  return issues.reason ? refused.because(issues.reason, { message: VENUE_NOT_NAMED }) : refused.because('import_rows_invalid', {});
}

/** How many events have committed (outboxVersion): every change to what an import reads appends one. */
const dataVersion = (db: Queryable): Promise<number> => outboxVersion(db);

/** Imports a CSV or JSON file (or standard input, as `-`) of one kind: every row, or (on any bad row) none. */
export async function importFile(ctx: CoreContext, options: ImportOptions): Promise<ImportResult> {
  const kind = options.kind.trim().toLowerCase() as ImportKind;
  if (!IMPORT_KINDS.includes(kind)) throw invalid(`cannot import ${JSON.stringify(options.kind)}`, `import one of: ${IMPORT_KINDS.join(', ')}`);
  if (options.venue !== undefined && kind !== 'seatmap') throw invalid('a venue is for seat map imports').because('import_venue_not_seatmap', {});
  requireRole(ctx.actor, roles[kind]);
  const fromStdin = options.file === '-';
  if (fromStdin && !options.input) throw invalid("'-' means standard input, and there is none here", 'name a file');
  const name = fromStdin ? 'stdin' : options.file;
  const format = FORMATS[kind];
  const planner = planners[kind];
  const issues = new IssueList(options.maxIssues ?? DEFAULT_MAX_ISSUES, []);
  const writing = (total: number) => (n: number) => options.onProgress?.({ phase: 'writing', bytes: n, totalBytes: total, rows: n });

  const spool = new Spool();
  try {
    const file = fromStdin ? await spool.copy(options.input!, 'stdin') : path.resolve(options.file);

    /**
     * Reads the file and plans it: every row is checked as it is read (so the user sees all the
     * bad ones at once, not one per attempt), and the rows that pass go on to the planner, which
     * matches them with the database. Rows that passed are still planned when others failed, so
     * references (an unknown venue or event) and duplicates are reported in the same run.
     */
    const plan = async (db: Queryable) => {
      const source = openSource(file, { kind, columns: format.columns, required: format.required, onProgress: options.onProgress, onIssue: (i) => issues.add(i) });
      // A CSV's columns are known once its header is read, before any row is checked.
      issues.columns = source.format === 'csv' ? source.columns : [];
      const counted = { records: 0, rows: 0 };
      async function* checked() {
        for await (const record of source.records) {
          counted.records++;
          const parsed = format.schema.safeParse(record.fields);
          if (parsed.success) {
            counted.rows++;
            yield { line: record.line, row: parsed.data };
          } else for (const iss of parsed.error.issues) issues.at(record.line, iss.path[0] as string | undefined, iss.message);
        }
      }
      const rows = checked();
      let staged: Staged;
      try {
        staged = await planner(db, rows, {
          ctx,
          issues,
          venue: options.venue,
          listChanges: options.listChanges ?? true,
          spool,
        });
      } finally {
        await rows.return(undefined);
      }
      if (counted.records === 0 && issues.total === 0) issues.add({ line: 2, message: 'the file has no rows to import' });
      if (issues.total > 0) throw importRefused(name, issues);
      const summary: ImportResult = {
        kind,
        file: name,
        format: source.format,
        dryRun: Boolean(options.dryRun),
        rows: counted.rows,
        created: staged.created,
        updated: staged.updated,
        unchanged: staged.unchanged,
        changes: staged.changes,
      };
      return { staged, summary };
    };

    // Planned without the lock: other terminals go on selling meanwhile.
    const version = await dataVersion(ctx.db);
    let planned = await plan(ctx.db);
    const { summary } = planned;
    // A re-import of the same file has nothing to do, and touches nothing.
    if (options.dryRun || summary.created + summary.updated === 0) return summary;

    writing(summary.created + summary.updated)(0);
    let rerun = false;
    await writeTransaction(ctx.db, async (trx: Trx) => {
      // One import writes at a time, and this one only once the one before it has committed: on
      // PostgreSQL an advisory lock taken before the version is read (on SQLite the single writer).
      // So a second import at once finds the version moved and plans again, seeing the first one's
      // rows, as it would on SQLite.
      await lockForTransaction(trx, 'boxoffice:import', 'exclusive');
      // Someone changed the data while we planned: plan again (the file is read again), now under
      // the lock. A re-run always plans again: it runs because the data changed under this plan
      // (a conflict below, or a sale found by apply's re-check: import-plans.ts soldMeanwhile).
      if (rerun || (await dataVersion(trx)) !== version) {
        planned = await plan(trx);
      }
      rerun = true;
      try {
        await planned.staged.apply(trx, writing(planned.summary.created + planned.summary.updated));
      } catch (err) {
        // Another terminal's single change (not an import) committed a row this plan also makes,
        // after the version was read (PostgreSQL, READ COMMITTED): run again, and plan again.
        if (isUniqueViolation(err, trx)) throw new TransactionConflict(new BoxofficeError('invalid_state', `${name}: the data changed while it was imported; nothing was imported`, 'import it again'));
        throw err;
      }
    });
    return planned.summary;
  } finally {
    spool.remove();
  }
}

export type { SourceRecord };
