import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens } from '../../../test/control-plane.ts';
import { plan, start, startRolloutPlane } from '../../../test/rollouts.ts';

let ctx: Awaited<ReturnType<typeof startRolloutPlane>>;
beforeAll(async () => {
  ctx = await startRolloutPlane();
});
afterAll(() => ctx.cp.close());

const ingest = (path: string, body: object) =>
  ctx.cp.api('POST', path, { token: initialTokens.ingest, body });
let seq = 0;
const report = (siteKey: string, version: string, imported: number, at: Date) =>
  ingest('/api/v1/import-reports', {
    importId: `r-${++seq}`,
    siteKey,
    version,
    received: 1_100,
    imported,
    rejected: 0,
    durationMs: 9,
    completedAt: at.toISOString(),
  });

/** A rollout that failed its canary check and was reverted, pausing its sites. */
async function revertedRollout(sites: string[]) {
  for (const site of sites)
    for (let h = 5; h >= 1; h--)
      await report(site, 'v1', 1_000, new Date(ctx.clock.now().getTime() - h * 3_600_000));
  const res = await plan(ctx.cp, {
    targetVersion: 'v2',
    siteKeys: sites,
    stages: [{ count: 2 }, { percent: 100 }],
    checks: {},
    revertPolicy: { automatic: true, pauseSites: true },
  });
  await start(ctx.cp, res.body);
  await ctx.engine.step(res.body.id);
  const canaries = (
    await ctx.cp.api('GET', `/api/v1/rollouts/${res.body.id}/targets?stage=1`)
  ).body.items.map((t: any) => t.siteKey);
  await report(canaries[0], 'v2', 600, new Date(ctx.clock.now().getTime() + 1_000));
  expect(await ctx.engine.step(res.body.id)).toBe('reverted');
  return { rollout: res.body, canaries: canaries as string[] };
}

describe('repairing a reverted rollout', () => {
  it('queues every site it touched, hands each out once, follows progress, and resumes repaired sites', async () => {
    const { rollout, canaries } = await revertedRollout(['s-101', 's-102', 's-104', 's-105']);
    const paused = async (key: string) =>
      (await ctx.cp.api('GET', `/api/v1/sites/${key}`)).body.paused;
    expect(await paused(canaries[0]!)).toBe(true);

    const repair = await ctx.cp.api('POST', `/api/v1/rollouts/${rollout.id}/repair`, {
      body: { reason: 'restore the catalogs' },
    });
    expect(repair.status).toBe(202);
    expect(repair.body).toMatchObject({ state: 'running', counts: { queued: 2 } });
    expect(repair.body.sites.map((s: any) => s.siteKey).sort()).toEqual([...canaries].sort());
    // Asking again is the same repair.
    expect(
      (
        await ctx.cp.api('POST', `/api/v1/rollouts/${rollout.id}/repair`, {
          body: { reason: 'again' },
        })
      ).body.id,
    ).toBe(repair.body.id);

    const claimed = await ingest('/api/v1/repairs/claim', { instanceId: 'ingest-1', max: 10 });
    expect(claimed.body.tasks.map((t: any) => t.siteKey).sort()).toEqual([...canaries].sort());
    expect(claimed.body.tasks[0]).toMatchObject({ repairId: repair.body.id, badVersion: 'v2' });
    expect(
      (await ingest('/api/v1/repairs/claim', { instanceId: 'ingest-2', max: 10 })).body.tasks,
    ).toEqual([]);

    const [a, b] = canaries as [string, string];
    const progress = (siteKey: string, state: string, extra: object = {}) =>
      ingest('/api/v1/repairs/progress', {
        updates: [{ repairId: repair.body.id, siteKey, state, ...extra }],
      });
    await progress(a, 'restoring');
    await progress(a, 'replaying');
    await progress(a, 'done', { details: { replayed: 7, products: 412 } });
    expect((await progress(a, 'restoring')).body.applied).toBe(0); // late and backwards: ignored
    expect(await paused(a)).toBe(false);
    await progress(b, 'failed', { reason: 'site is not pinned' });

    const failed = (await ctx.cp.api('GET', `/api/v1/repairs/${repair.body.id}`)).body;
    expect(failed).toMatchObject({ state: 'failed', counts: { done: 1, failed: 1 } });
    expect(failed.sites.find((s: any) => s.siteKey === a)).toMatchObject({
      state: 'done',
      details: { replayed: 7, products: 412 },
    });
    expect(await paused(b)).toBe(true);

    // Asking again re-queues the failed site only.
    const retried = await ctx.cp.api('POST', `/api/v1/rollouts/${rollout.id}/repair`, {
      body: { reason: 'fixed the pin' },
    });
    expect(retried.body).toMatchObject({ state: 'running', counts: { done: 1, queued: 1 } });
    expect(
      (await ingest('/api/v1/repairs/claim', { instanceId: 'ingest-1', max: 10 })).body.tasks.map(
        (t: any) => t.siteKey,
      ),
    ).toEqual([b]);
    await progress(b, 'done');
    expect((await ctx.cp.api('GET', `/api/v1/repairs/${repair.body.id}`)).body.state).toBe('done');
    const audit = (await ctx.cp.api('GET', `/api/v1/audit?rollout=${rollout.id}`)).body.items.map(
      (e: any) => e.action,
    );
    expect(audit).toEqual(
      expect.arrayContaining(['repair.started', 'repair.retried', 'repair.finished']),
    );
  });

  it('hands a site out again once its holder is silent for the 60 s lease, and not before', async () => {
    const { rollout, canaries } = await revertedRollout(['s-111', 's-112', 's-114']);
    const repair = (
      await ctx.cp.api('POST', `/api/v1/rollouts/${rollout.id}/repair`, { body: { reason: 'x' } })
    ).body;
    const claim = async (instanceId: string) =>
      (await ingest('/api/v1/repairs/claim', { instanceId, max: 10 })).body.tasks
        .map((t: any) => t.siteKey)
        .sort();
    const [working, silent] = canaries as [string, string];
    expect(await claim('first')).toEqual([working, silent].sort());

    // The holder works on one site (progress renews its lease) and falls silent on the other.
    ctx.clock.advance(59_000);
    await ingest('/api/v1/repairs/progress', {
      updates: [{ repairId: repair.id, siteKey: working, state: 'restoring' }],
    });
    ctx.clock.advance(1_000);
    expect(await claim('second')).toEqual([]);
    ctx.clock.advance(1);
    expect(await claim('second')).toEqual([silent]);
    ctx.clock.advance(59_000);
    expect(await claim('third')).toEqual([working]);
  });

  it('refuses a rollout that is not reverted', async () => {
    const res = await plan(ctx.cp, { targetVersion: 'v2', siteKeys: ['s-121'] });
    const repair = await ctx.cp.api('POST', `/api/v1/rollouts/${res.body.id}/repair`, {
      body: { reason: 'x' },
    });
    expect(repair.status).toBe(409);
    expect(repair.body.message).toBe(
      `rollout r-${res.body.id} is planned; repair applies to reverted rollouts (revert it first)`,
    );
  });
});

describe('pausing a group of sites', () => {
  it('pauses and resumes a selector or a cohort at once, serving it to SDKs', async () => {
    const paused = await ctx.cp.api('POST', '/api/v1/sites/pause', {
      body: { selector: 'load=high,region=eu', reason: 'incident' },
    });
    expect(paused.status).toBe(200);
    expect(paused.body.changed).toBe(paused.body.matched);
    const features = await ctx.cp.api('GET', '/api/client/features', {
      token: null,
      headers: { authorization: initialTokens.client },
    });
    expect(features.body.features[1].strategies[0].parameters.siteIds.split(',')).toEqual(
      expect.arrayContaining(paused.body.sites),
    );

    const cohort = await ctx.cp.api('POST', '/api/v1/cohorts', {
      body: { name: 'high-eu', selector: 'load=high,region=eu' },
    });
    const resumed = await ctx.cp.api('POST', '/api/v1/sites/resume', {
      body: { cohortId: cohort.body.id, reason: 'over' },
    });
    expect(resumed.body.changed).toBe(paused.body.changed);
    const audit = (await ctx.cp.api('GET', '/api/v1/audit?action=sites.paused')).body.items[0];
    expect(audit).toMatchObject({ reason: 'incident', after: { count: paused.body.changed } });
  });

  it('refuses a request naming no sites', async () => {
    const res = await ctx.cp.api('POST', '/api/v1/sites/pause', { body: { reason: 'x' } });
    expect(res.status).toBe(400);
  });
});
