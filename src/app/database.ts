// What the fronts need from the database layer beyond the core's verbs, named here so that no
// front imports src/db: only the CLI's session (src/cli/runtime/context.ts) opens the database.
// Light on purpose (no driver): the CLI's settings read it before any database is opened.
export { displayTarget, isPostgresUrl } from '../db/target.js';
export { foldKey, sameName } from '../db/fold.js';
