import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens } from '../../../test/control-plane.ts';
import { highLoad, pins, planOk, start, startRolloutPlane } from '../../../test/rollouts.ts';

let ctx: Awaited<ReturnType<typeof startRolloutPlane>>;
beforeAll(async () => {
  ctx = await startRolloutPlane();
});
afterAll(() => ctx.cp.close());

describe('a rollout from plan to completion', () => {
  let rollout: any;

  it('plans: freezes the sites with their pins and shows the blast radius', async () => {
    const cohort = await ctx.cp.api('POST', '/api/v1/cohorts', {
      body: { name: 'high', selector: 'load=high' },
    });
    rollout = await planOk(ctx.cp, {
      targetVersion: 'v2',
      cohortId: cohort.body.id,
      stages: [{ count: 2 }, { percent: 50 }, { percent: 100 }],
    });
    expect(rollout).toMatchObject({
      state: 'planned',
      targetCount: 20,
      fingerprint: cohort.body.fingerprint,
      currentStage: 0,
      summary: { byFromVersion: { v1: 20 }, stageSizes: [2, 8, 10], alreadyOnTarget: 0 },
      progress: { pending: 20 },
    });
    expect(rollout.summary.byLabel.load).toEqual({ high: 20 });
    // Nothing changes at plan time.
    expect([...(await pins(ctx.cp)).values()].filter((v) => v === 'v2')).toHaveLength(0);
  });

  it('starts, applies the canary stage, and bakes it for its minimum time', async () => {
    const started = await start(ctx.cp, rollout);
    expect(started).toMatchObject({ state: 'running', currentStage: 1, phase: 'applying' });
    expect(await ctx.engine.step(rollout.id)).toBe('applied');
    const canaries = await ctx.cp.api('GET', `/api/v1/rollouts/${rollout.id}/targets?stage=1`);
    expect(canaries.body.items.map((t: { status: string }) => t.status)).toEqual([
      'applied',
      'applied',
    ]);
    const now = await pins(ctx.cp);
    expect(canaries.body.items.every((t: { siteKey: string }) => now.get(t.siteKey) === 'v2')).toBe(
      true,
    );
    expect([...now.values()].filter((v) => v === 'v2')).toHaveLength(2);

    expect(await ctx.engine.step(rollout.id)).toBe('baking');
    ctx.clock.advance(59_000);
    expect(await ctx.engine.step(rollout.id)).toBe('baking');
    ctx.clock.advance(1_000);
    expect(await ctx.engine.step(rollout.id)).toBe('passed');
  });

  it('goes through every stage to completion and releases its sites', async () => {
    const results: string[] = [];
    for (let i = 0; i < 10; i++) {
      const result = await ctx.engine.step(rollout.id);
      results.push(result);
      if (result === 'completed') break;
      if (result === 'baking') ctx.clock.advance(60_000);
    }
    expect(results).toEqual(['applied', 'baking', 'passed', 'applied', 'baking', 'completed']);
    const done = await ctx.cp.api('GET', `/api/v1/rollouts/${rollout.id}`);
    expect(done.body).toMatchObject({ state: 'completed', progress: { applied: 20 } });
    const now = await pins(ctx.cp);
    for (const key of highLoad) expect(now.get(key)).toBe('v2');
    expect([...now.values()].filter((v) => v === 'v2')).toHaveLength(20);
    expect(await ctx.cp.db.siteRolloutLock.count()).toBe(0);
  });

  it('serves the new pins to SDKs and records every step in the audit', async () => {
    const features = await ctx.cp.api('GET', '/api/client/features', {
      token: null,
      headers: { authorization: initialTokens.client },
    });
    const v2 = features.body.features[0].strategies.find(
      (s: any) => s.variants[0].payload.value === 'v2',
    );
    expect(v2.parameters.siteIds.split(',').sort()).toEqual([...highLoad].sort());

    const audit = await ctx.cp.api('GET', `/api/v1/audit?rollout=${rollout.id}&limit=500`);
    const actions = audit.body.items.map((e: { action: string }) => e.action).reverse();
    expect(actions.filter((a: string) => a.startsWith('rollout.'))).toEqual([
      'rollout.planned',
      'rollout.started',
      'rollout.stage_applied',
      'rollout.stage_passed',
      'rollout.stage_applied',
      'rollout.stage_passed',
      'rollout.stage_applied',
      'rollout.stage_passed',
      'rollout.completed',
    ]);
    // Site by site, every change is a pin event naming the rollout.
    const events = await ctx.cp.db.pinEvent.findMany({ where: { rolloutId: rollout.id } });
    expect(events.map((e) => e.siteKey).sort()).toEqual([...highLoad].sort());
    const history = await ctx.cp.api('GET', `/api/v1/sites/${highLoad[0]}/pin-history`);
    expect(history.body.items[0]).toMatchObject({
      toVersion: 'v2',
      actor: 'engine',
      rolloutId: rollout.id,
    });
  });
});
