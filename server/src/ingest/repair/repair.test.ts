// The repair executor against a stand-in for the control plane's claim/progress endpoints (real
// HTTP, recording what it receives) in front of a real control plane serving pins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';
import { eventually } from '../../../test/http.ts';
import { startIngestion } from '../../../test/ingestion.ts';
import type { TestIngestion } from '../../../test/ingestion.ts';
import {
  catalogAt,
  catalogOf,
  feedFor,
  normalized,
  untilPinned,
} from '../../../test/ingest-fixtures.ts';
import { inRepairOrder, startRepairPlane } from '../../../test/repair-plane.ts';
import { pipelineFor } from '../pipelines/index.ts';
import type { Pipeline } from '../pipelines/product.ts';

// v1 as it is, except that it refuses feeds containing a product named "poison": lets a test
// make every replayed import fail, so the repair must fall back on the snapshot.
const v1 = pipelineFor('v1')!;
const pickyV1: Pipeline = {
  version: 'v1',
  process(items) {
    if (items.some((i) => (i as { name?: string }).name === 'poison'))
      throw new Error('v1 refuses poison');
    return v1.process(items);
  },
};

let cp: TestControlPlane;
let plane: Awaited<ReturnType<typeof startRepairPlane>>;
let ingest: TestIngestion;
const sites = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6', 'r-7', 'r-9'];

beforeAll(async () => {
  cp = await startControlPlane({ env: { PINION_VERSIONS: 'v1,v2,v3,v4' } });
  await cp.createSites(sites.map((key) => ({ key })));
  plane = await startRepairPlane({ upstream: cp.url });
  ingest = await startIngestion({
    controlPlaneUrl: plane.url,
    pipelines: (version) => (version === 'v1' ? pickyV1 : pipelineFor(version)),
    env: { INGEST_REPAIR_POLL_MS: '100' },
  });
  await untilPinned(ingest, sites);
});
afterAll(async () => {
  await ingest?.close();
  await plane?.close();
  await cp?.close();
});

async function importFeed(site: string, feed: unknown[]) {
  const res = await ingest.post(site, feed);
  expect(res.status).toBe(202);
  return ingest.processed(res.body.importId);
}
async function pin(keys: string[], version: string) {
  for (const key of keys) await cp.setPin(key, version);
  await untilPinned(ingest, keys, version);
}
const finished = (repairId: number, keys: string[]) =>
  eventually(
    () =>
      keys.every((k) => ['done', 'failed'].includes(plane.stateOf(repairId, k) ?? ''))
        ? true
        : undefined,
    20_000,
  );

describe('repairing sites a bad version processed', () => {
  it('restores the snapshot before the first bad import, replays with the current pin and re-exports', async () => {
    const damaged = ['r-1', 'r-2', 'r-3'];
    for (const site of [...damaged, 'r-4']) {
      await importFeed(site, feedFor(site, 1));
      await importFeed(site, feedFor(site, 2));
    }
    const since = new Date();
    await pin(damaged, 'v2');
    const firstBad: Record<string, number> = {};
    for (const site of damaged) {
      firstBad[site] = (await importFeed(site, feedFor(site, 3))).position;
      expect((await importFeed(site, feedFor(site, 4))).version).toBe('v2');
    }
    await importFeed('r-4', feedFor('r-4', 3));
    await pin(damaged, 'v1');
    // r-1 had one more import after the revert, on v1 again.
    await importFeed('r-1', feedFor('r-1', 5));
    expect(await catalogAt(ingest.url, 'r-2')).toEqual(catalogOf(feedFor('r-2', 4), 'v2'));
    expect(catalogOf(feedFor('r-2', 4), 'v2').length).toBeLessThan(
      catalogOf(feedFor('r-2', 4), 'v1').length,
    );
    const before = await ingest.db.ingestSnapshot.findMany({ where: { siteKey: 'r-2' } });

    plane.add(
      [...damaged, 'r-4'].map((siteKey) => ({ repairId: 1, siteKey, badVersion: 'v2', since })),
    );
    await finished(1, [...damaged, 'r-4']);

    const last = { 'r-1': 5, 'r-2': 4, 'r-3': 4 } as Record<string, number>;
    for (const site of damaged) {
      // Product by product what a clean v1 replay of the same journal gives.
      expect(await catalogAt(ingest.url, site)).toEqual(
        catalogOf(feedFor(site, last[site]!), 'v1'),
      );
      const states = plane.statesOf(1, site);
      expect(inRepairOrder(states), states.join(' → ')).toBe(true);
      expect(states.at(-1)).toBe('done');
      const snapshot = await ingest.db.ingestSnapshot.findFirstOrThrow({
        where: { siteKey: site, afterSeq: { lt: firstBad[site]! } },
        orderBy: { afterSeq: 'desc' },
      });
      expect(plane.lastUpdate(1, site)!.details).toEqual({
        restoredFromSeq: Number(snapshot.afterSeq),
        replayed: site === 'r-1' ? 3 : 2,
        products: catalogOf(feedFor(site, last[site]!), 'v1').length,
        version: 'v1',
      });
      const position = await ingest.db.ingestSite.findUniqueOrThrow({ where: { siteKey: site } });
      expect(position.lastVersion).toBe('v1');
    }
    // Repairs read snapshots; they do not take new ones.
    expect(await ingest.db.ingestSnapshot.count({ where: { siteKey: 'r-2' } })).toBe(before.length);
    expect(plane.lastUpdate(1, 'r-4')).toMatchObject({
      state: 'done',
      details: { nothingToRepair: true },
    });

    // Re-exported: the file holds the repaired catalog.
    const runs = await eventually(async () => {
      const items = (await ingest.call('GET', '/ingest/v1/sites/r-2/exports')).body.items;
      return items[0]?.trigger === 'repair' && items[0].state === 'delivered' ? items : undefined;
    });
    expect(runs[0]).toMatchObject({ channel: 'file', trigger: 'repair' });
    const { readFile } = await import('node:fs/promises');
    const file = JSON.parse(await readFile(`${ingest.dataDir}/exports/r-2.json`, 'utf8'));
    expect(normalized(file.products)).toEqual(catalogOf(feedFor('r-2', 4), 'v1'));

    // A task the control plane hands out again after its lease is reported again, not redone.
    const progressBefore = plane.progress.length;
    const exportsBefore = await ingest.db.ingestExport.count({ where: { siteKey: 'r-2' } });
    plane.add([{ repairId: 1, siteKey: 'r-2', badVersion: 'v2', since }]);
    await eventually(() => (plane.stateOf(1, 'r-2') === 'done' ? true : undefined));
    expect(plane.progress.slice(progressBefore).map((p) => p.state)).toEqual(['done']);
    expect(await ingest.db.ingestExport.count({ where: { siteKey: 'r-2' } })).toBe(exportsBefore);
  });

  it('falls back on the snapshot when no replayed import goes through the current pipeline', async () => {
    await importFeed('r-5', feedFor('r-5', 1));
    const since = new Date();
    await pin(['r-5'], 'v2');
    const poisoned = [
      ...feedFor('r-5', 2),
      { sku: 'r-5-p', name: 'poison', price: 1, gtin: '4006381333931' },
    ];
    await importFeed('r-5', poisoned);
    await pin(['r-5'], 'v1');
    plane.add([{ repairId: 2, siteKey: 'r-5', badVersion: 'v2', since }]);
    await finished(2, ['r-5']);
    expect(plane.lastUpdate(2, 'r-5')).toMatchObject({ state: 'done', details: { replayed: 1 } });
    expect(await catalogAt(ingest.url, 'r-5')).toEqual(catalogOf(feedFor('r-5', 1), 'v1'));
  });

  it('fails a site whose current pin this ingestion API cannot run, with the reason', async () => {
    await importFeed('r-6', feedFor('r-6', 1));
    const since = new Date();
    await pin(['r-6'], 'v2');
    await importFeed('r-6', feedFor('r-6', 2));
    await pin(['r-6'], 'v4');
    plane.add([{ repairId: 3, siteKey: 'r-6', badVersion: 'v2', since }]);
    await finished(3, ['r-6']);
    expect(plane.lastUpdate(3, 'r-6')).toMatchObject({
      state: 'failed',
      reason: "site 'r-6' is pinned to v4, which this ingestion API does not run",
    });
    // A failed repair holds the site no longer (its imports are refused while on v4 anyway).
    expect(await catalogAt(ingest.url, 'r-6')).toEqual(catalogOf(feedFor('r-6', 2), 'v2'));
  });

  it('completes a repair while the control plane is unreachable and reports it once it answers', async () => {
    await importFeed('r-7', feedFor('r-7', 1));
    const since = new Date();
    await pin(['r-7'], 'v2');
    await importFeed('r-7', feedFor('r-7', 2));
    await pin(['r-7'], 'v1');

    plane.setProgressDown(true);
    plane.add([{ repairId: 4, siteKey: 'r-7', badVersion: 'v2', since }]);
    await eventually(async () => {
      const task = await ingest.db.ingestRepairTask.findUnique({
        where: { repairId_siteKey: { repairId: 4, siteKey: 'r-7' } },
      });
      return task?.state === 'done' ? task : undefined;
    });
    plane.setRepairsDown(true);
    expect(plane.statesOf(4, 'r-7')).toEqual([]);
    expect(await catalogAt(ingest.url, 'r-7')).toEqual(catalogOf(feedFor('r-7', 2), 'v1'));
    // Imports keep going meanwhile, after the repair, in order.
    await importFeed('r-7', feedFor('r-7', 3));
    expect(await catalogAt(ingest.url, 'r-7')).toEqual(catalogOf(feedFor('r-7', 3), 'v1'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(plane.statesOf(4, 'r-7')).toEqual([]);

    plane.setRepairsDown(false);
    plane.setProgressDown(false);
    await eventually(() => (plane.stateOf(4, 'r-7') === 'done' ? true : undefined), 10_000);
    expect(plane.statesOf(4, 'r-7')).toEqual(['done']);
  });
  it('waits for the revert to reach this process before replaying, never replaying with the bad version', async () => {
    await importFeed('r-9', feedFor('r-9', 1));
    const since = new Date();
    await pin(['r-9'], 'v2');
    await importFeed('r-9', feedFor('r-9', 2));
    // The revert happens, but this process has not read it yet when the repair is claimed.
    plane.setPinsFrozen(true);
    try {
      await cp.setPin('r-9', 'v1');
      plane.add([{ repairId: 6, siteKey: 'r-9', badVersion: 'v2', since }]);
      await eventually(async () =>
        (await ingest.db.ingestRepairTask.count({ where: { repairId: 6 } })) === 1
          ? true
          : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const waiting = await ingest.db.ingestRepairTask.findFirstOrThrow({ where: { repairId: 6 } });
      expect(waiting.state).toBe('queued');
      expect(await catalogAt(ingest.url, 'r-9')).toEqual(catalogOf(feedFor('r-9', 2), 'v2'));
    } finally {
      plane.setPinsFrozen(false);
    }
    await finished(6, ['r-9']);
    expect(plane.lastUpdate(6, 'r-9')).toMatchObject({ state: 'done', details: { version: 'v1' } });
    expect(await catalogAt(ingest.url, 'r-9')).toEqual(catalogOf(feedFor('r-9', 2), 'v1'));
  });
});

describe('imports of a site under repair', () => {
  it('wait for the repair, then follow it in journal order', async () => {
    // Claims only when told to (poll), so the test decides when the repair runs.
    const held = await startIngestion({
      controlPlaneUrl: plane.url,
      env: { INGEST_REPAIR_POLL_MS: '3600000' },
    });
    try {
      await cp.createSites([{ key: 'r-8' }]);
      await untilPinned(held, ['r-8']);
      const post = async (n: number) => (await held.post('r-8', feedFor('r-8', n))).body.importId;
      await held.processed(await post(1));
      const since = new Date();
      await cp.setPin('r-8', 'v2');
      await untilPinned(held, ['r-8'], 'v2');
      await held.processed(await post(2));
      await cp.setPin('r-8', 'v1');
      await untilPinned(held, ['r-8'], 'v1');

      // The task is claimed (stored locally) but has not run yet.
      await held.db.ingestRepairTask.create({
        data: { repairId: 5, siteKey: 'r-8', badVersion: 'v2', since },
      });
      plane.add([{ repairId: 5, siteKey: 'r-8', badVersion: 'v2', since }]);
      const waiting = await post(3);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await held.call('GET', `/ingest/v1/imports/${waiting}`)).body.state).toBe('queued');
      expect(await catalogAt(held.url, 'r-8')).toEqual(catalogOf(feedFor('r-8', 2), 'v2'));

      await held.ingestion.repairs.poll();
      const done = await held.processed(waiting);
      const task = await held.db.ingestRepairTask.findUniqueOrThrow({
        where: { repairId_siteKey: { repairId: 5, siteKey: 'r-8' } },
      });
      expect(task).toMatchObject({ state: 'done', details: { replayed: 1 } });
      // The import came after the repair: processed later, and it is the catalog now.
      expect(done.processedAt >= task.updatedAt.toISOString()).toBe(true);
      expect(await catalogAt(held.url, 'r-8')).toEqual(catalogOf(feedFor('r-8', 3), 'v1'));
      const site = await held.db.ingestSite.findUniqueOrThrow({ where: { siteKey: 'r-8' } });
      expect(Number(site.lastSeq)).toBe(done.position);
    } finally {
      await held.close();
    }
  });
});
