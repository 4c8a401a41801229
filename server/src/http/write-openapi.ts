// Writes the OpenAPI document without a database, and the TypeScript types generated from it:
//   node src/http/write-openapi.ts [--json dist/openapi.json] [--types <file>.d.ts]
// The web app generates its types from the JSON; the ingestion API's client of the control plane
// takes `--types` (src/ingest/control-plane/schema.d.ts). Both are made before each typecheck, so
// a route whose schema changes fails the typecheck of every caller that no longer fits it.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { allRoutes } from '../routes.ts';
import type { Services } from '../services.ts';
import { buildOpenApiDocument } from './openapi.ts';

const { values } = parseArgs({ options: { json: { type: 'string' }, types: { type: 'string' } } });
if (!values.json && !values.types) {
  console.error('usage: write-openapi.ts [--json <file>] [--types <file>]');
  process.exit(2);
}

// Route factories only touch services inside handlers, which never run here.
const document = buildOpenApiDocument(allRoutes({} as Services));
const json = `${JSON.stringify(document, null, 2)}\n`;
if (values.json) await writeAtomically(values.json, json);
if (values.types) {
  const types = astToString(await openapiTS(JSON.parse(json), { silent: true }));
  await writeAtomically(values.types, `${COMMENT_HEADER}${types}`);
}

/**
 * Written aside and renamed: turbo runs `build` and `typecheck` at once, and a reader must never
 * see half a file.
 */
async function writeAtomically(file: string, text: string) {
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  const aside = `${path}.${process.pid}.tmp`;
  await writeFile(aside, text);
  await rename(aside, path);
  console.log(`wrote ${path}`);
}
