// The read path while bulk work runs: the control plane as its own process (PGlite, or
// PostgreSQL when DATABASE_URL is set), two SDK-like pollers in child processes (`/healthz`, and
// `/api/client/features` with the ETag they hold, every 20 ms), and two bulk imports of 100,000
// new sites each (CSV, then JSON). Prints the pollers' max and p99 latency during each import and
// until the new revision is served, the import time, and when the new revision reached the poller.
// Target: max ≤ 250 ms for both endpoints.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { eventually, request } from '../test/http.ts';
import { controlPlaneSpec, processHome, startService } from '../test/processes.ts';
import type { PollerOptions, PollSample } from './read-path-poller.ts';
import { fmt, table } from './measure.ts';

const sites = 100_000;
const admin = 'bench-admin-token-000000000';
const client = 'bench-client-token-00000000';
const everyMs = 20;

function startPoller(options: PollerOptions): { stop(): Promise<PollSample[]> } {
  const child: ChildProcess = fork(
    new URL('./read-path-poller.ts', import.meta.url),
    [JSON.stringify(options)],
    { stdio: 'inherit' },
  );
  return {
    async stop() {
      const [samples] = (await Promise.all([once(child, 'message'), child.send('stop')])) as [
        [PollSample[]],
        boolean,
      ];
      await once(child, 'exit');
      return samples[0];
    },
  };
}

function summary(samples: PollSample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const p99 = ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))] ?? NaN;
  const failed = samples.filter((s) => s.status !== 200 && s.status !== 304).length;
  return `max ${fmt.ms(ms.at(-1) ?? NaN)}, p99 ${fmt.ms(p99)} (${samples.length} polls${failed ? `, ${failed} failed` : ''})`;
}

function csvBody(from: number): { raw: string; headers: Record<string, string> } {
  const lines = ['key,name,label.shard'];
  for (let i = from; i < from + sites; i++) lines.push(`site-${i},Site ${i},s${i % 10}`);
  return { raw: lines.join('\n'), headers: { 'content-type': 'text/csv' } };
}

function jsonBody(from: number): { raw: string; headers: Record<string, string> } {
  const items = [];
  for (let i = from; i < from + sites; i++)
    items.push({ key: `site-${i}`, name: `Site ${i}`, labels: { shard: `s${i % 10}` } });
  return { raw: JSON.stringify({ sites: items }), headers: { 'content-type': 'application/json' } };
}

export async function readPathBench() {
  const home = await processHome('pinion-read-path-');
  const cp = await startService(
    await controlPlaneSpec({
      dir: home.dir,
      databaseUrl: home.databaseUrl,
      tokens: { admin, client },
      // e.g. BENCH_CP_NODE_OPTIONS=--cpu-prof to see where the control plane's time goes
      env: { NODE_OPTIONS: process.env.BENCH_CP_NODE_OPTIONS ?? '' },
    }),
  );
  const features = `${cp.url}/api/client/features`;
  const etagNow = async () =>
    (await fetch(features, { headers: { authorization: client } })).headers.get('etag')!;
  const rows: Record<string, string>[] = [];
  try {
    let etag = await etagNow();
    for (const [round, body] of [
      ['CSV', csvBody(0)],
      ['JSON', jsonBody(sites)],
    ] as const) {
      const pollers = [
        startPoller({ url: `${cp.url}/healthz`, headers: {}, everyMs }),
        startPoller({
          url: features,
          headers: { authorization: client, 'accept-encoding': 'gzip' },
          etag,
          everyMs,
        }),
      ];
      // Let both pollers settle into their rhythm before the import starts.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const startedAt = Date.now();
      const imported = await request(cp.url, 'POST', '/api/v1/sites/import', {
        token: admin,
        ...body,
      });
      const importMs = Date.now() - startedAt;
      if (imported.status !== 201)
        throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
      const old = etag;
      etag = await eventually(
        async () => ((await etagNow()) !== old ? etagNow() : undefined),
        60_000,
        20,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const [health, poll] = await Promise.all(pollers.map((p) => p.stop()));
      const during = (s: PollSample) => s.at >= startedAt;
      const served = poll!.find((s) => during(s) && s.status === 200 && s.etag !== old);
      rows.push({
        import: `${round}, ${fmt.int(sites)} sites`,
        'import time': fmt.ms(importMs),
        '/healthz': summary(health!.filter(during)),
        '/api/client/features (If-None-Match)': summary(poll!.filter(during)),
        'new revision served, after the import answered': served
          ? fmt.ms(served.at + served.ms - startedAt - importMs)
          : 'not seen',
      });
    }
    console.log(
      `\nThe read path during bulk imports (${home.databaseUrl ? 'PostgreSQL' : 'PGlite'}; polls every ${everyMs} ms from child processes)`,
    );
    table(rows);
  } finally {
    await cp.stop();
    await home.remove();
  }
}

if (import.meta.main) await readPathBench();
