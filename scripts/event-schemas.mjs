#!/usr/bin/env node
// Writes docs/events/<type>.json, one JSON Schema per event type, from the zod definitions in
// src/core/sync/event-schemas.ts (build first: npm run build). test/sync.test.ts fails when the
// files and the definitions drift apart.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { EVENT_DATA_SCHEMAS, eventJsonSchema } = await import(path.join(root, 'dist/core/sync/event-schemas.js'));
const dir = path.join(root, 'docs/events');
fs.mkdirSync(dir, { recursive: true });
const types = Object.keys(EVENT_DATA_SCHEMAS).sort();
for (const file of fs.readdirSync(dir)) {
  if (file.endsWith('.json') && !types.includes(file.slice(0, -5))) fs.rmSync(path.join(dir, file));
}
for (const type of types) {
  fs.writeFileSync(path.join(dir, `${type}.json`), `${JSON.stringify(eventJsonSchema(type), null, 2)}\n`);
}
console.error(`wrote ${types.length} schemas to ${path.relative(process.cwd(), dir) || dir}`);
