// Writes the OpenAPI document without a database (the web app's types are generated from it).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { allRoutes } from '../routes.ts';
import type { Services } from '../services.ts';
import { buildOpenApiDocument } from './openapi.ts';

const out = resolve(process.argv[2] ?? 'dist/openapi.json');
// Route factories only touch services inside handlers, which never run here.
const document = buildOpenApiDocument(allRoutes({} as Services));
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${out}`);
