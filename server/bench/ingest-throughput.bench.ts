// Sustained imports against the ingestion API as a real process (and its control plane, which
// receives every import's report): a poster paced at BENCH_IMPORT_RATE posts a second (default
// 100) for BENCH_IMPORT_SECONDS (default 30), each a fresh 200-product feed for the next of 1,000
// sites, with an Idempotency-Key, never waiting for earlier answers — independent import jobs, an
// open loop. Then three times that rate for 10 s, more than the workers keep up with: the backlog
// grows, and the answers must not slow down (an import is answered once journaled). Prints the
// accept latency (p50/p99/max), the imports processed per second while posting and until the
// backlog drained, and /healthz. Targets (issue 8), on PostgreSQL: ≥ 100 imports/s sustained,
// accept p99 ≤ 250 ms. Every import must end `done`, or the run fails.
import { feedFor } from '../test/ingest-fixtures.ts';
import { eventually } from '../test/http.ts';
import { memoryOf, percentile, pollLatency, startIngestPlane } from './ingest-plane.ts';
import type { IngestPlane } from './ingest-plane.ts';
import { fmt, table } from './measure.ts';

const rate = Number(process.env.BENCH_IMPORT_RATE ?? 100);
const seconds = Number(process.env.BENCH_IMPORT_SECONDS ?? 30);
const siteCount = 1_000;
const productsPerFeed = 200;

type Journal = { queued: number; done: number; failed: number };

export async function ingestThroughputBench() {
  const sites = Array.from({ length: siteCount }, (_, i) => `t-${String(i).padStart(4, '0')}`);
  const plane = await startIngestPlane({ sites });
  try {
    const rows = [
      await phase(plane, sites, { rate, seconds, label: 'sustained' }),
      // More than the workers keep up with: the backlog grows, the answers must not slow down.
      await phase(plane, sites, { rate: rate * 3, seconds: 10, label: 'over capacity' }),
    ];
    console.log(
      `\nImports of ${productsPerFeed}-product feeds across ${fmt.int(siteCount)} sites, on ${plane.database}`,
    );
    table(rows);
  } finally {
    await plane.stop();
  }
}

/** Posts at `rate` for `seconds`, then waits for the backlog to drain; returns a row of figures. */
async function phase(
  plane: IngestPlane,
  sites: string[],
  options: { rate: number; seconds: number; label: string },
) {
  const journal = async () => (await plane.call<Journal>('GET', '/ingest/v1/journal')).body;
  const total = options.rate * options.seconds;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const inFlight: Promise<void>[] = [];
  const health = pollLatency(`${plane.ingest.url}/healthz`);
  const before = await journal();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / options.rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const site = sites[i % siteCount]!;
    const n = before.done + before.failed + i;
    const posted = performance.now();
    inFlight.push(
      plane
        .call('POST', `/ingest/v1/sites/${site}/imports`, {
          raw: JSON.stringify(feedFor(site, n, productsPerFeed)),
          headers: { 'content-type': 'application/json', 'idempotency-key': `${site}-${n}` },
        })
        .then(
          (res) => {
            latencies.push(performance.now() - posted);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          },
          () => void statuses.set(0, (statuses.get(0) ?? 0) + 1),
        ),
    );
  }
  const postedFor = (performance.now() - start) / 1000;
  await Promise.all(inFlight);
  const window = (performance.now() - start) / 1000;
  const atEnd = await journal();
  await eventually(async () => ((await journal()).queued === 0 ? true : undefined), 900_000, 500);
  const drained = (performance.now() - start) / 1000;
  await health.stop();
  const after = await journal();
  const processed = (j: Journal) => j.done + j.failed - before.done - before.failed;
  if (after.failed > before.failed || (statuses.get(202) ?? 0) !== total) {
    throw new Error(
      `${after.failed - before.failed} imports failed; answers ${JSON.stringify([...statuses])}`,
    );
  }
  const healthMs = health.between(start, performance.now());
  return {
    run: options.label,
    'posted / s': (total / postedFor).toFixed(1),
    'accepted (202)': fmt.int(statuses.get(202) ?? 0),
    'accept p50 / p99 / max': `${fmt.ms(percentile(latencies, 50))} / ${fmt.ms(percentile(latencies, 99))} / ${fmt.ms(Math.max(...latencies))}`,
    'processed / s while posting': (processed(atEnd) / window).toFixed(1),
    'backlog when posting ended': fmt.int(atEnd.queued),
    'processed / s, to the last': (processed(after) / drained).toFixed(1),
    'healthz max / p99': `${fmt.ms(Math.max(...healthMs))} / ${fmt.ms(percentile(healthMs, 99))}`,
    'peak RSS': fmt.bytes((await memoryOf(plane.ingest.process.pid!)).peak),
  };
}

if (import.meta.main) await ingestThroughputBench();
