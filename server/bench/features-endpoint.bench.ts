// The Unleash client API under load: the real control plane as its own process (PGlite, or
// PostgreSQL when DATABASE_URL is set) with 100,000 sites. Prints the payload's build time and
// size, then requests per second for 304s (SDKs that are up to date) and full 200s over
// loopback. The load comes from wrk when it is installed (apt-get install wrk): autocannon, the
// fallback, spends more CPU parsing 200 kB bodies than the server spends sending them, and so
// measures itself.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { request } from '../test/http.ts';
import { freePort, processDatabaseUrl, startService, tempDir } from '../test/processes.ts';
import { fmt, ms, table } from './measure.ts';

const sites = 100_000;
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const admin = 'bench-admin-token-000000000';
const client = 'bench-client-token-00000000';

const hasWrk = (() => {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk --version exits 1 after printing its version
    return (err as { status?: number }).status === 1;
  }
})();

async function load(url: string, headers: Record<string, string>) {
  if (hasWrk) {
    const args = [
      '-t1',
      '-c50',
      `-d${seconds}s`,
      '--latency',
      ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
      url,
    ];
    const out = execFileSync('wrk', args, { encoding: 'utf8' });
    const pick = (re: RegExp) => out.match(re)?.[1] ?? '?';
    return {
      tool: 'wrk',
      rps: Number(pick(/Requests\/sec:\s+([\d.]+)/)),
      p50: pick(/50%\s+(\S+)/),
      p99: pick(/99%\s+(\S+)/),
    };
  }
  const result = await autocannon({ url, connections: 50, duration: seconds, headers });
  return {
    tool: 'autocannon',
    rps: result.requests.average,
    p50: `${result.latency.p50}ms`,
    p99: `${result.latency.p99}ms`,
  };
}

export async function featuresEndpointBench() {
  const dir = await tempDir('pinion-bench-');
  const database = await processDatabaseUrl();
  const port = await freePort();
  const cp = await startService({
    entry: 'src/main.ts',
    port,
    readyPath: '/readyz',
    env: {
      PORT: String(port),
      PINION_DATA_DIR: `${dir.path}/db`,
      DATABASE_URL: database?.url ?? '',
      PINION_ADMIN_TOKEN: admin,
      PINION_CLIENT_TOKEN: client,
    },
  });
  try {
    const lines = ['key,name,label.shard'];
    for (let i = 0; i < sites; i++) lines.push(`site-${i},Site ${i},s${i % 10}`);
    const [imported, importMs] = await ms(() =>
      request(cp.url, 'POST', '/api/v1/sites/import', {
        token: admin,
        raw: lines.join('\n'),
        headers: { 'content-type': 'text/csv' },
      }),
    );
    if (imported.status !== 201) throw new Error(`import failed: ${JSON.stringify(imported.body)}`);
    await request(cp.url, 'PUT', '/api/v1/sites/site-1/pin', {
      token: admin,
      body: { version: 'v2', reason: 'bench' },
    });

    const url = `${cp.url}/api/client/features`;
    // The first request after a change builds the payload: read, serialize, gzip.
    const [first, firstMs] = await ms(() =>
      fetch(url, { headers: { authorization: client, 'accept-encoding': 'gzip' } }),
    );
    const gzipBytes = Number(first.headers.get('content-length'));
    const etag = first.headers.get('etag')!;
    const raw = await fetch(url, {
      headers: { authorization: client, 'accept-encoding': 'identity' },
    });
    const rawBytes = Number(raw.headers.get('content-length'));
    await raw.arrayBuffer();
    const fresh = await load(url, { authorization: client, 'accept-encoding': 'gzip' });
    const unchanged = await load(url, { authorization: client, 'if-none-match': etag });

    console.log(
      `\nClient API with ${fmt.int(sites)} sites (${database ? 'PostgreSQL' : 'PGlite'}; ${fresh.tool}, ${seconds} s per run, 50 connections)`,
    );
    table([
      { measure: 'bulk import of the sites (one CSV request)', value: fmt.ms(importMs) },
      {
        measure: 'first request after a change (build + serialize + gzip + send)',
        value: fmt.ms(firstMs),
      },
      {
        measure: 'payload size raw / gzip',
        value: `${fmt.bytes(rawBytes)} / ${fmt.bytes(gzipBytes)}`,
      },
      {
        measure: '200 (gzip) requests/s',
        value: `${fmt.int(fresh.rps)} (p50 ${fresh.p50}, p99 ${fresh.p99})`,
      },
      {
        measure: '304 requests/s',
        value: `${fmt.int(unchanged.rps)} (p50 ${unchanged.p50}, p99 ${unchanged.p99})`,
      },
    ]);
  } finally {
    await cp.stop();
    await dir.remove();
    await database?.drop();
  }
}

if (import.meta.main) await featuresEndpointBench();
