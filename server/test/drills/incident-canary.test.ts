// The incident drill: the new version silently drops products without a GTIN. With demo traffic
// running for the whole fleet, a rollout of v2 to the load=high cohort must halt in its canary
// stage and revert itself, and v2 must never process an import of any other site. Its healthy
// counterpart, v3 (v1's output), must go all the way without a false alarm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSites } from '../../src/demo/demo-fleet.ts';
import { startDemoTraffic } from '../../src/demo/traffic.ts';
import type { DemoTraffic } from '../../src/demo/traffic.ts';
import { initialTokens, startControlPlane } from '../control-plane.ts';
import type { TestControlPlane } from '../control-plane.ts';
import { eventually } from '../http.ts';
import { startIngestion } from '../ingestion.ts';

const fleet = demoSites(200);
const cohort = fleet.filter((s) => s.labels.load === 'high').map((s) => s.key);
let cp: TestControlPlane;
let ingest: Awaited<ReturnType<typeof startIngestion>>;
let traffic: DemoTraffic;
let cohortId: number;

/** Every site has had `n` more imports (each round gives every site one). */
async function rounds(n: number) {
  const target = traffic.stats().rounds + n;
  await eventually(() => (traffic.stats().rounds >= target ? true : undefined), 60_000, 100);
}

beforeAll(async () => {
  cp = await startControlPlane({ env: { PINION_ENGINE_TICK_MS: '200' } });
  await cp.createSites(fleet);
  ingest = await startIngestion({ controlPlaneUrl: cp.url });
  await eventually(async () =>
    (await ingest.call('GET', '/ingest/v1/pins/s-200')).body.status === 'pinned' ? true : undefined,
  );
  traffic = startDemoTraffic({
    ingestUrl: ingest.url,
    token: initialTokens.import,
    sites: fleet,
    intervalMs: 1_500,
    concurrency: 8,
    // A site's next feed waits for its last import to be processed, as a platform's import job
    // does: faster posting than processing would only grow the journal's backlog.
    followImports: true,
  });
  cohortId = (
    await cp.api('POST', '/api/v1/cohorts', { body: { name: 'load-high', selector: 'load=high' } })
  ).body.id;
  // Every site's baseline: three imports or more on its pinned version.
  await rounds(4);
}, 120_000);

afterAll(async () => {
  await traffic?.stop();
  await ingest?.close();
  await cp?.close();
});

async function run(targetVersion: string) {
  const planned = await cp.api('POST', '/api/v1/rollouts', {
    body: {
      targetVersion,
      cohortId,
      stages: [{ count: 2 }, { percent: 50 }, { percent: 100 }],
      bake: { minBakeSeconds: 3, minImportsPerSite: 1 },
    },
  });
  expect(planned.status).toBe(201);
  const r = planned.body;
  const started = await cp.api('POST', `/api/v1/rollouts/${r.id}/start`, {
    body: { confirm: { count: r.targetCount, fingerprint: r.fingerprint } },
  });
  expect(started.status).toBe(200);
  const end = await eventually(
    async () => {
      const now = (await cp.api('GET', `/api/v1/rollouts/${r.id}`)).body;
      return ['completed', 'reverted', 'halted'].includes(now.state) ? now : undefined;
    },
    90_000,
    100,
  );
  return { r, end };
}

describe('the incident drill', () => {
  it('halts v2 in its canary stage, reverts it, and lets v2 touch only the two canaries', async () => {
    const pinEventsBefore = await cp.db.pinEvent.count();
    const { r, end } = await run('v2');
    expect(end.state).toBe('reverted');

    const halted = (await cp.api('GET', `/api/v1/audit?rollout=${r.id}&action=rollout.halted`)).body
      .items[0];
    expect(halted.before).toMatchObject({ stage: 1 });
    expect(end.endReason).toMatch(
      /^automatic revert: site s-\d+: imported [\d,]+ products on v2, baseline [\d,]+ on v1 \(−\d+(\.\d)?%\), threshold −5%$/,
    );

    const canaries = (
      await cp.api('GET', `/api/v1/rollouts/${r.id}/targets?stage=1`)
    ).body.items.map((t: any) => t.siteKey);
    expect(canaries).toHaveLength(2);
    const processedByV2 = await ingest.db.ingestImport.findMany({
      where: { version: 'v2' },
      distinct: ['siteKey'],
      select: { siteKey: true },
    });
    expect(processedByV2.length).toBeGreaterThan(0);
    for (const { siteKey } of processedByV2) expect(canaries).toContain(siteKey);

    const changed = await cp.db.pinEvent.findMany({
      where: { id: { gt: BigInt(pinEventsBefore) } },
      select: { siteKey: true },
    });
    for (const { siteKey } of changed) expect(cohort).toContain(siteKey);
    const pins = (await cp.api('GET', '/api/v1/sites?limit=1000')).body.items;
    expect(pins.filter((s: any) => s.pinnedVersion === 'v2')).toEqual([]);
  }, 120_000);

  it('rolls v3 (v1’s output) out to every stage under the same noisy traffic, and back, without a false halt', async () => {
    for (const version of ['v3', 'v1']) {
      await rounds(4); // baselines on the version the sites are on now
      const { r, end } = await run(version);
      const analysis = (await cp.api('GET', `/api/v1/rollouts/${r.id}/analysis`)).body;
      expect(end.state, `${version}: ${end.endReason ?? ''}`).toBe('completed');
      expect(analysis.stages.map((s: any) => s.outcomes.fail ?? 0)).toEqual([0, 0, 0]);
      const pins = (await cp.api('GET', '/api/v1/sites?label=load=high&limit=100')).body.items;
      expect(pins.every((s: any) => s.pinnedVersion === version)).toBe(true);
    }
  }, 240_000);
});
