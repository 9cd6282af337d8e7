// Queries built with Kysely once and then run many times. Building and compiling a query costs
// far more than SQLite takes to run it (a sale ran ~19 queries and spent more time in Kysely than
// in SQLite), so the queries on the selling path are compiled on first use with stand-ins for
// their parameters, and later runs only fill the stand-ins in. The SQL text stays the same, so the
// driver's statement cache finds the statement SQLite already prepared.
// Each dialect compiles its own text (`?` on SQLite, `$1` on PostgreSQL), once per dialect.
import type { Compilable, CompiledQuery, Kysely as KyselyType, QueryResult, RootOperationNode } from 'kysely';
import { dialectOf, type DialectName, type SqlDialect } from './dialect.js';
import type { Database } from './schema.js';
import type { Queryable } from './transaction.js';

/** Parameter values by name; each becomes one bound `?`. */
type Params = Record<string, unknown>;

const STAND_IN = '\u0000boxoffice-parameter:';

interface Template {
  sql: string;
  query: RootOperationNode;
  /** For each bound `?`: the name of the parameter it takes, or a constant built into the query. */
  slots: ({ name: string } | { value: unknown })[];
}

/** Builds a query from the query builder, stand-ins for the parameters, and the dialect's SQL helpers. */
type Build<P extends Params, R> = (db: KyselyType<Database>, p: P, dialect: SqlDialect) => Compilable<R>;

function compileTemplate<P extends Params, R>(dialect: SqlDialect, build: Build<P, R>): Template {
  const standIns = new Proxy({} as P, { get: (_, name) => `${STAND_IN}${String(name)}` });
  const compiled = build(dialect.queryBuilder(), standIns, dialect).compile();
  if (compiled.sql.includes(STAND_IN)) throw new Error(`a prepared query used a parameter outside a value position: ${compiled.sql}`);
  const slots = compiled.parameters.map((value) => (typeof value === 'string' && value.startsWith(STAND_IN) ? { name: value.slice(STAND_IN.length) } : { value }));
  return { sql: compiled.sql, query: compiled.query, slots };
}

export interface PreparedQuery<P extends Params, R> {
  /** Every row the query returns. */
  all(db: Queryable, params: P): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Queryable, params: P): Promise<R | undefined>;
  /** Runs a write; the rows it changed. */
  run(db: Queryable, params: P): Promise<{ changes: number }>;
  /**
   * Runs an insert of one row written with `.returning('id')`; the row's id. PostgreSQL has no
   * last-insert id, so the id comes from RETURNING on both dialects (on SQLite it is the same
   * one statement, a row read instead of lastInsertRowid).
   */
  insert(db: Queryable, params: P): Promise<number>;
}

/**
 * A query to build once and run often: `build` receives the query builder and stand-ins for the
 * parameters, to be used where values go (`where('id', '=', p.id)`, `values({ code: p.code })`).
 * Lists of varying length (`in`, multi-row inserts) cannot be prepared this way.
 */
export function prepared<P extends Params, R>(build: Build<P, R>): PreparedQuery<P, R> {
  const templates: Partial<Record<DialectName, Template>> = {};
  const execute = (db: Queryable, params: P) => {
    const dialect = dialectOf(db);
    const template = (templates[dialect.name] ??= compileTemplate(dialect, build));
    const parameters = template.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.value));
    const query: CompiledQuery<R> = { sql: template.sql, parameters, query: template.query, queryId: { queryId: '' } };
    return db.executeQuery(query);
  };
  return {
    all: async (db, params) => (await execute(db, params)).rows,
    first: async (db, params) => (await execute(db, params)).rows[0],
    run: async (db, params) => {
      const result = await execute(db, params);
      return { changes: Number(result.numAffectedRows ?? 0) };
    },
    insert: async (db, params) => dialectOf(db).insertedId((await execute(db, params)) as QueryResult<{ id?: number }>),
  };
}
