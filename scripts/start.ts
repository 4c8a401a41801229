// `npm start`: the control plane (serving the dashboard) and the ingestion API on the embedded
// database under .data/, seeded with the demo fleet on first run. `--dev` adds Vite's dev server.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { seedDemo } from '../server/src/demo/seed.ts';
import { ingestNodeOptions } from '../server/src/ingest/node-options.ts';

const root = resolve(import.meta.dirname, '..');
const dev = process.argv.includes('--dev');
const dataDir = join(root, '.data');
const port = Number(process.env.PORT ?? 4242);
const ingestPort = Number(process.env.INGEST_PORT ?? 4243);
const controlPlaneUrl = `http://localhost:${port}`;
const ingestUrl = `http://localhost:${ingestPort}`;

type Tokens = { admin: string; client: string; ingest: string; import: string };

/**
 * Demo tokens are made once and kept in .data/tokens.json (the database keeps only hashes); one
 * missing from an older file (the import token) is added. `npm run demo:traffic` reads it too.
 */
function demoTokens(): Tokens {
  const file = join(dataDir, 'tokens.json');
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Tokens>) : {};
  const make = (role: string) => `pn_demo_${role}_${randomBytes(18).toString('base64url')}`;
  const tokens: Tokens = {
    admin: kept.admin ?? make('admin'),
    client: kept.client ?? make('client'),
    ingest: kept.ingest ?? make('ingest'),
    import: kept.import ?? make('import'),
  };
  if (JSON.stringify(kept) !== JSON.stringify(tokens)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  }
  return tokens;
}

const children: ChildProcess[] = [];
function run(
  name: string,
  args: string[],
  env: Record<string, string>,
  cwd = join(root, 'server'),
) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`pinion: ${name} exited (${signal ?? code}); stopping everything`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url: string, name: string) {
  for (let i = 0; i < 600; i++) {
    const res = await fetch(url).catch(() => undefined);
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

let stopping = false;
function stop(code: number) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5_000).unref();
  Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
  ).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const tokens = demoTokens();
const logLevel = process.env.LOG_LEVEL ?? 'warn';
run('control plane', ['src/main.ts'], {
  PORT: String(port),
  PINION_DATA_DIR: join(dataDir, 'control'),
  PINION_ADMIN_TOKEN: tokens.admin,
  PINION_CLIENT_TOKEN: tokens.client,
  PINION_INGEST_TOKEN: tokens.ingest,
  PINION_IMPORT_TOKEN: tokens.import,
  PINION_WEB_DIR: join(root, 'web/dist'),
  LOG_LEVEL: logLevel,
});
await waitFor(`${controlPlaneUrl}/readyz`, 'the control plane');
run('ingestion API', ['src/ingest/main.ts'], {
  INGEST_PORT: String(ingestPort),
  CONTROL_PLANE_URL: controlPlaneUrl,
  PINION_INGEST_TOKEN: tokens.ingest,
  INGEST_DATA_DIR: join(dataDir, 'ingest'),
  // One name across restarts: sensor health (ADR 14) then never waits for the last run to go silent.
  INGEST_INSTANCE_ID: process.env.INGEST_INSTANCE_ID ?? 'demo-ingest',
  LOG_LEVEL: logLevel,
  NODE_OPTIONS: ingestNodeOptions,
});
await waitFor(`${ingestUrl}/healthz`, 'the ingestion API');
await seedDemo({
  controlPlaneUrl,
  adminToken: tokens.admin,
  ingest: { url: ingestUrl, importToken: tokens.import },
  log: (l) => console.log(`pinion: ${l}`),
});
if (dev) run('vite', [join(root, 'node_modules/vite/bin/vite.js')], {}, join(root, 'web'));

console.log(`
  Pinion is running on the embedded database in .data/ (Ctrl-C stops it).

  Dashboard        ${dev ? 'http://localhost:5173 (Vite)' : `${controlPlaneUrl}/`}
  Admin API        ${controlPlaneUrl}/api/v1   (OpenAPI: ${controlPlaneUrl}/api/openapi.json)
  Ingestion API    ${ingestUrl}/ingest/v1/sites/<site>/imports

  Admin token      ${tokens.admin}
  Client token     ${tokens.client}    (Unleash SDKs: ${controlPlaneUrl}/api/)
  Import token     ${tokens.import}    (import jobs posting feeds to the ingestion API)

  Try:  curl -H "Authorization: Bearer ${tokens.admin}" ${controlPlaneUrl}/api/v1/sites?label=load=high
`);
