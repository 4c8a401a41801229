// One very large feed against the ingestion API as a real process: a ~40 MB JSON feed of 200,000
// products posted twice to one site (into an empty catalog, then replacing it), while /healthz is
// polled every 50 ms. Prints the accept and processing times, /healthz max and p99 during each,
// and the ingestion process's peak resident memory (VmHWM from /proc/PID/status). Targets
// (issue 8): /healthz max ≤ 250 ms, peak RSS ≤ 512 MiB on PostgreSQL. The catalog is checked
// afterwards: a run that did not import all 200,000 products fails instead of printing figures.
import { gtin13 } from '../src/demo/demo-fleet.ts';
import { eventually } from '../test/http.ts';
import { memoryOf, percentile, pollLatency, startIngestPlane } from './ingest-plane.ts';
import { fmt, table } from './measure.ts';

const products = Number(process.env.BENCH_FEED_PRODUCTS ?? 200_000);
const words = ['Sturdy', 'Light', 'Classic', 'Compact', 'Deluxe', 'Rustic', 'Modern', 'Vintage'];
const nouns = ['mug', 'jacket', 'lamp', 'chair', 'kettle', 'boots', 'table', 'blanket'];

/** About 200 bytes a product, as a real catalog's rows with a short description. */
function bigFeed(n: number): Buffer {
  const items = Array.from({ length: products }, (_, i) => ({
    sku: `BIG-${String(i).padStart(7, '0')}`,
    name: `${words[i % 8]} ${nouns[(i >> 3) % 8]} ${i}`,
    price: ((i * 37 + n) % 100_000) / 100,
    gtin: gtin13(i),
    brand: `Brand ${i % 500}`,
    description: `A ${words[(i >> 6) % 8]!.toLowerCase()} ${nouns[i % 8]} for every day, made to last; feed ${n}.`,
    stock: (i * n) % 250,
  }));
  return Buffer.from(JSON.stringify(items));
}

export async function ingestFeedBench() {
  const site = 'big-1';
  const plane = await startIngestPlane({ sites: [site] });
  const pid = plane.ingest.process.pid!;
  try {
    const idle = await memoryOf(pid);
    const health = pollLatency(`${plane.ingest.url}/healthz`);
    const rows: Record<string, string>[] = [];
    let bytes = 0;
    for (const n of [1, 2]) {
      const feed = bigFeed(n);
      bytes = feed.length;
      const posted = performance.now();
      const res = await plane.call('POST', `/ingest/v1/sites/${site}/imports`, {
        raw: feed,
        headers: { 'content-type': 'application/json', 'idempotency-key': `big-${n}` },
      });
      const accepted = performance.now();
      if (res.status !== 202)
        throw new Error(`post ${n}: ${res.status} ${JSON.stringify(res.body)}`);
      const done = await eventually(
        async () => {
          const { body } = await plane.call('GET', `/ingest/v1/imports/${res.body.importId}`);
          return body.state === 'done' || body.state === 'failed' ? body : undefined;
        },
        600_000,
        100,
      );
      const processed = performance.now();
      if (done.state !== 'done' || done.imported !== products) {
        throw new Error(`import ${n} ended ${done.state}: ${JSON.stringify(done).slice(0, 500)}`);
      }
      const during = (from: number, to: number) => {
        const ms = health.between(from, to);
        return `${fmt.ms(Math.max(...ms))} / ${fmt.ms(percentile(ms, 99))} (${ms.length})`;
      };
      rows.push({
        import: n === 1 ? 'into an empty catalog' : 'replacing the catalog',
        accept: fmt.ms(accepted - posted),
        'healthz max / p99 (n) while accepting': during(posted, accepted),
        processing: fmt.ms(processed - accepted),
        'healthz max / p99 (n) while processing': during(accepted, processed),
      });
    }
    await health.stop();
    const catalog = await plane.call('GET', `/ingest/v1/sites/${site}/products?limit=1`);
    if (catalog.body.count !== products) throw new Error(`catalog has ${catalog.body.count}`);
    const after = await memoryOf(pid);
    console.log(
      `\nOne ${fmt.bytes(bytes)} feed of ${fmt.int(products)} products, twice, on ${plane.database}`,
    );
    table(rows);
    table([
      {
        'RSS idle': fmt.bytes(idle.rss),
        'peak RSS (VmHWM)': `${fmt.bytes(after.peak)} (${(after.peak / 2 ** 20).toFixed(0)} MiB)`,
        'RSS after': fmt.bytes(after.rss),
      },
    ]);
  } finally {
    await plane.stop();
  }
}

if (import.meta.main) await ingestFeedBench();
