// What the ingestion benchmarks share: a control plane and an ingestion API as real processes
// (PostgreSQL databases of their own when DATABASE_URL is set, else PGlite in a temporary
// directory), sites created and their pins read, and the ingestion process's memory from /proc.
import { readFile } from 'node:fs/promises';
import { ingestNodeOptions } from '../src/ingest/node-options.ts';
import { eventually, request } from '../test/http.ts';
import type { RequestOptions } from '../test/http.ts';
import {
  controlPlaneSpec,
  ingestionSpec,
  processDatabaseUrl,
  startService,
  tempDir,
} from '../test/processes.ts';
import type { Service } from '../test/processes.ts';

const admin = 'ingest-bench-admin-token-0000';
const ingestToken = 'ingest-bench-ingest-token-000';
/** An import job's token (role `import`, where the control plane knows it). */
const importToken = 'ingest-bench-import-token-000';

export type IngestPlane = Awaited<ReturnType<typeof startIngestPlane>>;

export async function startIngestPlane(options: { sites: string[]; env?: Record<string, string> }) {
  const dir = await tempDir('pinion-ingest-bench-');
  const cpDb = await processDatabaseUrl();
  const ingestDb = await processDatabaseUrl();
  const services: Service[] = [];
  const stop = async () => {
    for (const service of services.reverse()) await service.stop();
    await dir.remove();
    await cpDb?.drop();
    await ingestDb?.drop();
  };
  try {
    const cp = await startService(
      await controlPlaneSpec({
        dir: `${dir.path}/control`,
        databaseUrl: cpDb?.url,
        tokens: { admin, ingest: ingestToken },
        env: { PINION_IMPORT_TOKEN: importToken },
      }),
    );
    services.push(cp);
    const created = await request(cp.url, 'POST', '/api/v1/sites/import', {
      token: admin,
      body: { sites: options.sites.map((key) => ({ key, name: key })) },
    });
    if (created.status !== 201)
      throw new Error(`sites: ${created.status} ${JSON.stringify(created.body)}`);
    const ingest = await startService(
      await ingestionSpec({
        dir: `${dir.path}/ingest`,
        databaseUrl: ingestDb?.url,
        controlPlaneUrl: cp.url,
        token: ingestToken,
        readyPath: '/healthz',
        // e.g. BENCH_INGEST_NODE_OPTIONS=--cpu-prof to see where the ingestion API's time goes
        env: {
          ...(process.env.BENCH_INGEST_NODE_OPTIONS
            ? { NODE_OPTIONS: `${ingestNodeOptions} ${process.env.BENCH_INGEST_NODE_OPTIONS}` }
            : {}),
          ...options.env,
        },
      }),
    );
    services.push(ingest);
    /** Posts with the import token and reads with the admin token, as a job and a person do. */
    const call = <T = Record<string, unknown>>(
      method: string,
      path: string,
      opts: RequestOptions = {},
    ) =>
      request<T>(ingest.url, method, path, {
        token: method === 'POST' ? importToken : admin,
        ...opts,
      });
    // The pins arrive in one payload: the last site pinned means all are.
    await eventually(
      async () =>
        (await call('GET', `/ingest/v1/pins/${options.sites.at(-1)}`)).body.status === 'pinned'
          ? true
          : undefined,
      30_000,
    );
    return { cp, ingest, call, database: ingestDb ? 'PostgreSQL' : 'PGlite', stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** VmRSS and VmHWM (peak resident set) of a process, in bytes, from /proc/PID/status. */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * Polls `url` every `everyMs` (the next request as soon as the last answered, when it was late)
 * and keeps each latency, so a stall of the server shows as one long sample.
 */
export function pollLatency(url: string, everyMs = 50) {
  const samples: { at: number; ms: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = performance.now();
      const res = await fetch(url).catch(() => undefined);
      await res?.arrayBuffer();
      const ms = performance.now() - start;
      samples.push({ at: start, ms: res?.ok ? ms : Number.POSITIVE_INFINITY });
      if (ms < everyMs) await new Promise((resolve) => setTimeout(resolve, everyMs - ms));
    }
  })();
  return {
    /** The latencies of polls started between `from` and `to` (performance.now() times). */
    between: (from: number, to: number) =>
      samples.filter((s) => s.at >= from && s.at < to).map((s) => s.ms),
    async stop() {
      running = false;
      await loop;
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
