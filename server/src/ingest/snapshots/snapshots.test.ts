// Before the first import a different version processes, the site's catalog is kept — with the
// journal position it corresponds to — so a repair can go back to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';
import { startIngestion } from '../../../test/ingestion.ts';
import type { TestIngestion } from '../../../test/ingestion.ts';
import { catalogOf, feedFor, normalized, untilPinned } from '../../../test/ingest-fixtures.ts';
import { manualClock } from '../../lib/clock.ts';
import type { Product } from '../pipelines/product.ts';

let cp: TestControlPlane;
let ingest: TestIngestion;
const clock = manualClock(new Date('2026-06-01T00:00:00Z'));

beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([{ key: 'sn-1' }, { key: 'sn-2' }]);
  ingest = await startIngestion({
    controlPlaneUrl: cp.url,
    clock,
    env: { INGEST_SNAPSHOTS_PER_SITE: '3', INGEST_SNAPSHOT_DAYS: '30' },
  });
  await untilPinned(ingest, ['sn-1', 'sn-2']);
});
afterAll(async () => {
  await ingest?.close();
  await cp?.close();
});

async function importFeed(site: string, n: number) {
  const res = await ingest.post(site, feedFor(site, n));
  expect(res.status).toBe(202);
  return ingest.processed(res.body.importId);
}
const snapshots = async (site: string) =>
  (await ingest.call('GET', `/ingest/v1/sites/${site}/snapshots`)).body.items;
async function pin(site: string, version: string) {
  await cp.setPin(site, version);
  await untilPinned(ingest, [site], version);
}

describe('snapshots', () => {
  it('keeps the catalog before the first import on a new version, at its journal position', async () => {
    const first = await importFeed('sn-1', 1);
    // The first import ever: the catalog before it is empty, at position 0.
    expect(await snapshots('sn-1')).toEqual([
      { id: expect.any(Number), afterSeq: 0, version: null, count: 0, takenAt: expect.any(String) },
    ]);
    const second = await importFeed('sn-1', 2);
    expect(await snapshots('sn-1')).toHaveLength(1);

    await pin('sn-1', 'v2');
    const third = await importFeed('sn-1', 3);
    expect(third.version).toBe('v2');
    const list = await snapshots('sn-1');
    expect(list).toHaveLength(2);
    const expected = catalogOf(feedFor('sn-1', 2), 'v1');
    expect(list[0]).toMatchObject({
      afterSeq: second.position,
      version: 'v1',
      count: expected.length,
      takenAt: clock.now().toISOString(),
    });
    expect(list[0].afterSeq).toBeGreaterThan(first.position);
    expect(list[0]).not.toHaveProperty('products');
    const stored = await ingest.db.ingestSnapshot.findUniqueOrThrow({
      where: { id: BigInt(list[0].id) },
    });
    expect(normalized(stored.products as Product[])).toEqual(expected);
    // The catalog itself moved on to what v2 made of feed 3.
    expect((await ingest.call('GET', '/ingest/v1/sites/sn-1/products')).body.count).toBe(
      catalogOf(feedFor('sn-1', 3), 'v2').length,
    );

    // Same version again: no snapshot.
    await importFeed('sn-1', 4);
    expect(await snapshots('sn-1')).toHaveLength(2);
  });

  it('keeps at most the configured number per site, and none older than the configured age but the newest', async () => {
    await importFeed('sn-2', 1); // snapshot 1 (empty)
    for (const [n, version] of [
      [2, 'v2'],
      [3, 'v1'],
      [4, 'v2'],
    ] as const) {
      clock.advance(86_400_000);
      await pin('sn-2', version);
      await importFeed('sn-2', n);
    }
    const kept = await snapshots('sn-2');
    expect(kept).toHaveLength(3);
    expect(kept.map((s: { version: string }) => s.version)).toEqual(['v1', 'v2', 'v1']);

    clock.advance(31 * 86_400_000);
    await pin('sn-2', 'v1');
    const last = await importFeed('sn-2', 5);
    const aged = await snapshots('sn-2');
    expect(aged).toHaveLength(1);
    expect(aged[0]).toMatchObject({ version: 'v2', takenAt: clock.now().toISOString() });
    expect(aged[0].afterSeq).toBeLessThan(last.position);
  });
});
