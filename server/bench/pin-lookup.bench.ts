// Pin lookup in the ingestion API: the real unleash-client fetches a real features payload over
// HTTP, then we time (a) the pin reader's map lookup, (b) the SDK's getVariant through the
// siteIds strategy, and (c) the stock Unleash `IN` constraint the SDK would otherwise need.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Unleash } from 'unleash-client';
import { buildFeatures } from '../src/features/client-api/features-payload.ts';
import { createPinReader } from '../src/ingest/pin-reader.ts';
import { fmt, ms, nsPerCall, table } from './measure.ts';

const versions = 10;

function fleet(size: number) {
  return Array.from({ length: size }, (_, i) => ({
    key: `site-${i}`,
    pinnedVersion: `v${(i % versions) + 1}`,
    paused: false,
  }));
}

async function serve(body: Buffer) {
  const gz = gzipSync(body);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/client/features')) {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        etag: '"1"',
      });
      res.end(gz);
    } else {
      res.writeHead(202).end();
    }
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    close: () => server.close(),
  };
}

async function measureFleet(size: number, withStockIn: boolean) {
  const sites = fleet(size);
  const [json, serializeMs] = await ms(() =>
    Buffer.from(JSON.stringify(buildFeatures({ revision: 1n, sites }))),
  );
  const server = await serve(json);
  const dir = await mkdtemp(join(tmpdir(), 'pinion-bench-'));
  const started = performance.now();
  const reader = createPinReader({
    url: server.url,
    token: 'bench',
    appName: 'bench',
    instanceId: 'bench',
    refreshMs: 60_000,
    backupDir: dir,
  });
  await new Promise<void>((resolve) => {
    const check = () =>
      reader.lookup('site-0').status === 'pinned' ? resolve() : setTimeout(check, 5);
    check();
  });
  const loadMs = performance.now() - started;

  // Lookups in a random order, with keys made fresh as a request would (not the payload's strings).
  const keys = sites.map((_, i) => `site-${(i * 7919) % size}`);
  const pick = (i: number) => keys[i % size]!;
  const lookupNs = nsPerCall((i) => reader.lookup(pick(i)));
  const variantNs = nsPerCall(
    (i) => reader.unleash.getVariant('platform-api-version', { properties: { siteId: pick(i) } }),
    {
      batch: 20_000,
      rounds: 15,
    },
  );
  reader.close();

  let stockInNs: number | undefined;
  if (withStockIn) stockInNs = await stockInConstraint(sites, dir);
  server.close();
  await rm(dir, { recursive: true, force: true });
  return { size, bytes: json.length, serializeMs, loadMs, lookupNs, variantNs, stockInNs };
}

/** What a stock Unleash setup evaluates: one flexibleRollout per version with `siteId IN [...]`. */
async function stockInConstraint(sites: { key: string; pinnedVersion: string }[], dir: string) {
  const byVersion = new Map<string, string[]>();
  for (const s of sites)
    byVersion.set(s.pinnedVersion, [...(byVersion.get(s.pinnedVersion) ?? []), s.key]);
  const feature = {
    name: 'platform-api-version',
    enabled: true,
    strategies: [...byVersion].map(([version, keys]) => ({
      name: 'default',
      parameters: {},
      constraints: [{ contextName: 'siteId', operator: 'IN', values: keys }],
      variants: [
        {
          name: version,
          weight: 1000,
          stickiness: 'default',
          payload: { type: 'string', value: version },
        },
      ],
    })),
    variants: [],
  };
  const unleash = new Unleash({
    url: 'http://127.0.0.1:9/api/',
    appName: 'bench-in',
    refreshInterval: 0,
    disableMetrics: true,
    backupPath: dir,
    bootstrap: { data: [feature] as never },
    skipInstanceCountWarning: true,
  });
  await new Promise((r) => unleash.once('ready', r));
  const pick = (i: number) => sites[(i * 7919) % sites.length]!.key;
  const ns = nsPerCall(
    (i) => unleash.getVariant('platform-api-version', { properties: { siteId: pick(i) } }),
    { batch: 20, rounds: 15 },
  );
  unleash.destroy();
  return ns;
}

export async function pinLookupBench() {
  console.log(
    `\nPin lookup in the ingestion API (${versions} versions, real unleash-client over HTTP)`,
  );
  const rows = [];
  for (const [size, stock] of [
    [100_000, true],
    [1_000_000, false],
  ] as const) {
    const r = await measureFleet(size, stock);
    rows.push({
      sites: fmt.int(r.size),
      'payload (raw)': fmt.bytes(r.bytes),
      serialize: fmt.ms(r.serializeMs),
      'SDK load → first lookup': fmt.ms(r.loadMs),
      'lookup (pin index), median': fmt.ns(r.lookupNs),
      'getVariant (siteIds), median': fmt.ns(r.variantNs),
      'stock IN constraint, median': r.stockInNs === undefined ? 'not run' : fmt.ns(r.stockInNs),
    });
  }
  table(rows);
}

if (import.meta.main) await pinLookupBench();
