import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { ingestNodeOptions } from '../src/ingest/node-options.ts';
import { eventually } from './http.ts';

const serverDir = resolve(import.meta.dirname, '..');

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  return port;
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A PostgreSQL database of its own when DATABASE_URL is set (for processes that take a URL);
 * undefined means "use the embedded PGlite in the process's data directory".
 */
export async function processDatabaseUrl(): Promise<
  { url: string; drop(): Promise<void> } | undefined
> {
  const server = process.env.DATABASE_URL;
  if (!server) return undefined;
  const name = `pinion_proc_${Math.random().toString(36).slice(2, 12)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Where one process keeps its data: a temporary directory and, when DATABASE_URL is set, a
 * PostgreSQL database of its own (`databaseUrl`). `remove` deletes both.
 */
export async function processHome(
  prefix: string,
): Promise<{ dir: string; databaseUrl?: string; remove(): Promise<void> }> {
  const dir = await tempDir(prefix);
  const database = await processDatabaseUrl();
  return {
    dir: dir.path,
    databaseUrl: database?.url,
    async remove() {
      await dir.remove();
      await database?.drop();
    },
  };
}

export type Service = {
  url: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
  /** SIGKILL: the process gets no chance to clean up. */
  kill(): Promise<void>;
};

export type ServiceSpec = {
  entry: string;
  port: number;
  env: Record<string, string>;
  readyPath: string;
  timeoutMs?: number;
};

/**
 * How to start a control plane process on a free port: PostgreSQL when `databaseUrl` is given,
 * else PGlite in `<dir>/db`. The same spec starts it again on the same data after a kill.
 */
export async function controlPlaneSpec(options: {
  dir: string;
  databaseUrl?: string;
  tokens: { admin: string; ingest?: string; client?: string; import?: string };
  env?: Record<string, string>;
}): Promise<ServiceSpec> {
  const port = await freePort();
  const { tokens } = options;
  return {
    entry: 'src/main.ts',
    port,
    readyPath: '/readyz',
    env: {
      PORT: String(port),
      PINION_DATA_DIR: `${options.dir}/db`,
      DATABASE_URL: options.databaseUrl ?? '',
      PINION_ADMIN_TOKEN: tokens.admin,
      ...(tokens.ingest ? { PINION_INGEST_TOKEN: tokens.ingest } : {}),
      ...(tokens.client ? { PINION_CLIENT_TOKEN: tokens.client } : {}),
      ...(tokens.import ? { PINION_IMPORT_TOKEN: tokens.import } : {}),
      ...options.env,
    },
  };
}

/** How to start an ingestion API process: its own data directory (PGlite, saved pins, exports). */
export async function ingestionSpec(options: {
  dir: string;
  databaseUrl?: string;
  controlPlaneUrl: string;
  token: string;
  readyPath?: string;
  env?: Record<string, string>;
}): Promise<ServiceSpec> {
  const port = await freePort();
  return {
    entry: 'src/ingest/main.ts',
    port,
    readyPath: options.readyPath ?? '/readyz',
    env: {
      INGEST_PORT: String(port),
      CONTROL_PLANE_URL: options.controlPlaneUrl,
      PINION_INGEST_TOKEN: options.token,
      INGEST_DATA_DIR: options.dir,
      INGEST_DATABASE_URL: options.databaseUrl ?? '',
      // Never the control plane's database by accident.
      DATABASE_URL: '',
      NODE_OPTIONS: ingestNodeOptions,
      ...options.env,
    },
  };
}

/** Starts `node <entry>` as a real process and waits until `readyPath` answers 200. */
export async function startService(options: ServiceSpec): Promise<Service> {
  const child = spawn(process.execPath, [options.entry], {
    cwd: serverDir,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${options.port}`;
  const exited = once(child, 'exit');
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output}`);
        const res = await fetch(url + options.readyPath).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      options.timeoutMs ?? 30_000,
      100,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${options.entry} did not become ready: ${(err as Error).message}\n${output}`, {
      cause: err,
    });
  }
  return {
    url,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
