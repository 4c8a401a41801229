// The incident drill, second half: the damaged catalogs are repaired from the journal. First
// after the canary drill reverts by itself; then the incident's own day — v2 wrongly completed
// to 50 sites and left to process imports for an hour — reverted and repaired in one action.
// Either way every catalog must end as v1 would have made it from the same journaled feeds,
// product by product, and nothing journaled may be lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSites } from '../../src/demo/demo-fleet.ts';
import type { DemoSite } from '../../src/demo/demo-fleet.ts';
import { startDemoTraffic } from '../../src/demo/traffic.ts';
import type { DemoTraffic } from '../../src/demo/traffic.ts';
import { pipelineFor } from '../../src/ingest/pipelines/index.ts';
import { initialTokens, startControlPlane } from '../control-plane.ts';
import type { TestControlPlane } from '../control-plane.ts';
import { eventually } from '../http.ts';
import { startIngestion } from '../ingestion.ts';
import type { TestIngestion } from '../ingestion.ts';

const fleet = demoSites(200);
let cp: TestControlPlane;
let ingest: TestIngestion;
let traffic: DemoTraffic | undefined;

beforeAll(async () => {
  cp = await startControlPlane({ env: { PINION_ENGINE_TICK_MS: '200' } });
  await cp.createSites(fleet);
  // Twins never leave v1 (no labels, never targeted): the control group of every comparison.
  await cp.createSites(fleet.map((s) => ({ key: `twin-${s.key}` })));
  ingest = await startIngestion({ controlPlaneUrl: cp.url });
  await eventually(async () =>
    (await ingest.call('GET', '/ingest/v1/pins/twin-s-200')).body.status === 'pinned'
      ? true
      : undefined,
  );
}, 120_000);

afterAll(async () => {
  await traffic?.stop();
  await ingest?.close();
  await cp?.close();
});

function run(sites: DemoSite[]) {
  traffic = startDemoTraffic({
    ingestUrl: ingest.url,
    token: initialTokens.import,
    sites,
    intervalMs: 1_500,
    concurrency: 8,
    // A site's next feed waits for its last import (a paused site's, 2 s at most), as a
    // platform's import job does: posting faster than processing only grows the backlog.
    followImports: true,
    followMs: 2_000,
  });
  return traffic;
}
async function rounds(t: DemoTraffic, n: number) {
  const target = t.stats().rounds + n;
  await eventually(() => (t.stats().rounds >= target ? true : undefined), 120_000, 100);
}
/** Stops the traffic and waits until everything journaled is processed, but the paused sites'. */
async function quiet(t: DemoTraffic, paused: string[] = []) {
  await t.stop();
  await eventually(
    async () => {
      const queued = await ingest.db.ingestImport.count({
        where: { state: 'queued', siteKey: { notIn: paused } },
      });
      return queued === 0 ? true : undefined;
    },
    60_000,
    100,
  );
}

type Row = { sku: string; name: string; gtin: string | null; price: number };
const byKey = (a: Row, b: Row) => (a.sku < b.sku ? -1 : 1);

async function catalog(siteKey: string): Promise<Row[]> {
  const res = await ingest.call('GET', `/ingest/v1/sites/${siteKey}/products?limit=10000`);
  expect(res.body.count, siteKey).toBe(res.body.products.length);
  return (res.body.products as Row[])
    .map((p) => ({ sku: p.sku, name: p.name, gtin: p.gtin, price: Number(p.price) }))
    .sort(byKey);
}

/**
 * What repair must restore, checked two ways: product by product against a twin site that never
 * left v1 and was sent the same journaled feeds, in journal order, through the real ingestion
 * path; and against v1's pipeline run on the site's last journaled feed.
 */
async function expectRepaired(siteKey: string, options: { twin: boolean } = { twin: true }) {
  const journal = await ingest.db.ingestImport.findMany({
    where: { siteKey, state: 'done' },
    orderBy: { seq: 'asc' },
    select: { payload: true },
  });
  const repaired = await catalog(siteKey);
  if (options.twin) {
    const twin = `twin-${siteKey}`;
    let last = '';
    for (const entry of journal) {
      const res = await ingest.post(twin, JSON.parse(entry.payload!));
      expect(res.status, twin).toBe(202);
      last = res.body.importId;
    }
    expect((await ingest.processed(last)).version, twin).toBe('v1');
    expect(repaired, siteKey).toEqual(await catalog(twin));
  }

  const v1 = pipelineFor('v1')!
    .process(JSON.parse(journal.at(-1)!.payload!))
    .products.map((p) => ({ sku: p.sku, name: p.name, gtin: p.gtin, price: Number(p.price) }))
    .sort(byKey);
  expect(repaired, siteKey).toEqual(v1);
}

async function repair(rolloutId: number) {
  const started = await cp.api('POST', `/api/v1/rollouts/${rolloutId}/repair`, {
    body: { reason: 'restore the catalogs' },
  });
  expect(started.status).toBe(202);
  return eventually(
    async () => {
      const r = (await cp.api('GET', `/api/v1/repairs/${started.body.id}`)).body;
      return r.state === 'running' ? undefined : r;
    },
    120_000,
    200,
  );
}

describe('repair after the canary drill', () => {
  it('restores the canaries to what v1 makes of their feeds, re-exports them and unpauses them', async () => {
    const cohort = fleet.filter((s) => s.labels.load === 'high');
    const t = run(fleet);
    await rounds(t, 4);
    const planned = await cp.api('POST', '/api/v1/rollouts', {
      body: {
        targetVersion: 'v2',
        selector: 'load=high',
        stages: [{ count: 2 }, { percent: 50 }, { percent: 100 }],
        bake: { minBakeSeconds: 3, minImportsPerSite: 1 },
        revertPolicy: { automatic: true, pauseSites: true },
      },
    });
    const r = planned.body;
    await cp.api('POST', `/api/v1/rollouts/${r.id}/start`, {
      body: { confirm: { count: r.targetCount, fingerprint: r.fingerprint } },
    });
    await eventually(
      async () =>
        (await cp.api('GET', `/api/v1/rollouts/${r.id}`)).body.state === 'reverted'
          ? true
          : undefined,
      60_000,
      100,
    );
    const canaries: string[] = (
      await cp.api('GET', `/api/v1/rollouts/${r.id}/targets?stage=1`)
    ).body.items.map((x: any) => x.siteKey);
    const damaged = (
      await ingest.db.ingestImport.findMany({ where: { version: 'v2' }, distinct: ['siteKey'] })
    ).map((i) => i.siteKey);
    expect(damaged.length).toBeGreaterThan(0);
    expect(canaries).toEqual(expect.arrayContaining(damaged));
    // Held while damaged: imports keep being journaled, not processed. Two rounds: the one under
    // way may have posted the canaries' feeds before they were paused.
    await rounds(t, 2);
    await quiet(t, canaries);
    const held = await ingest.db.ingestImport.count({
      where: { siteKey: { in: canaries }, state: 'queued' },
    });
    expect(held).toBeGreaterThan(0);

    const done = await repair(r.id);
    expect(done.state).toBe('done');
    for (const site of canaries) {
      expect((await cp.api('GET', `/api/v1/sites/${site}`)).body.paused, site).toBe(false);
    }
    await quiet(t);
    for (const site of canaries) await expectRepaired(site);
    for (const site of damaged) {
      const exports = await ingest.call('GET', `/ingest/v1/sites/${site}/exports`);
      expect(
        exports.body.items.some((e: any) => e.trigger === 'repair'),
        site,
      ).toBe(true);
    }
    expect(cohort.length).toBe(20);
  }, 240_000);
});

describe('the incident itself: v2 completed to 50 sites by mistake, then revert and repair', () => {
  it('restores every product of every site, and loses no journaled import', async () => {
    // 50 sites with products lacking a GTIN (the ones v2 damages), none paused.
    const victims = fleet.filter((s) => s.labels.load !== 'high').slice(0, 50);
    const t = run(victims);
    await rounds(t, 2);
    const planned = await cp.api('POST', '/api/v1/rollouts', {
      body: {
        targetVersion: 'v2',
        siteKeys: victims.map((s) => s.key),
        stages: [{ percent: 100 }],
        bake: { minBakeSeconds: 0, minImportsPerSite: 0 },
        checks: { enabled: false },
      },
    });
    const r = planned.body;
    await cp.api('POST', `/api/v1/rollouts/${r.id}/start`, {
      body: { confirm: { count: r.targetCount, fingerprint: r.fingerprint } },
    });
    await eventually(
      async () =>
        (await cp.api('GET', `/api/v1/rollouts/${r.id}`)).body.state === 'completed'
          ? true
          : undefined,
      30_000,
      100,
    );
    // "An hour" of imports on v2: twelve rounds, one every five simulated minutes.
    await rounds(t, 12);
    const journaled = await ingest.db.ingestImport.count({
      where: { siteKey: { in: victims.map((s) => s.key) } },
    });

    const reverted = await cp.api('POST', `/api/v1/rollouts/${r.id}/revert`, {
      body: { reason: 'customers report missing products' },
    });
    expect(reverted.body.reverted).toBe(victims.length);
    await rounds(t, 1);
    const done = await repair(r.id);
    expect(done).toMatchObject({ state: 'done', counts: { done: victims.length } });
    await quiet(t);

    // Every site against v1's pipeline; one in five also against its twin (each twin replays the
    // whole journal of its site, which is the slow part of this drill).
    for (const [i, site] of victims.entries())
      await expectRepaired(site.key, { twin: i % 5 === 0 });
    const all = await ingest.db.ingestImport.findMany({
      where: { siteKey: { in: victims.map((s) => s.key) } },
      select: { state: true },
    });
    expect(all.length).toBeGreaterThanOrEqual(journaled);
    expect(all.every((i) => i.state === 'done')).toBe(true);
  }, 300_000);
});
