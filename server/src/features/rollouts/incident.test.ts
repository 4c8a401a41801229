// The incident's mistake, replayed: an upgrade meant for one group of sites is started with
// another group's numbers. Pinion refuses, and no site outside the planned group ever changes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { highLoad, pins, planOk, start, startRolloutPlane } from '../../../test/rollouts.ts';

let ctx: Awaited<ReturnType<typeof startRolloutPlane>>;
beforeAll(async () => {
  ctx = await startRolloutPlane();
});
afterAll(() => ctx.cp.close());

it('a rollout for load=high started with another cohort’s count never touches a site outside load=high', async () => {
  const before = await pins(ctx.cp);
  const eventsBefore = await ctx.cp.db.pinEvent.count();
  const high = await ctx.cp.api('POST', '/api/v1/cohorts', {
    body: { name: 'load-high', selector: 'load=high' },
  });
  const enterprise = await ctx.cp.api('POST', '/api/v1/cohorts/preview', {
    body: { selector: 'tier=enterprise' },
  });
  expect(enterprise.body.count).not.toBe(high.body.count);

  const r = await planOk(ctx.cp, {
    targetVersion: 'v2',
    cohortId: high.body.id,
    stages: [{ count: 2 }, { percent: 100 }],
  });
  expect(r.targetCount).toBe(20);

  // The human error: the numbers of the group they had in mind.
  const wrong = await ctx.cp.api('POST', `/api/v1/rollouts/${r.id}/start`, {
    body: { confirm: { count: enterprise.body.count, fingerprint: enterprise.body.fingerprint } },
  });
  expect(wrong.status).toBe(422);
  expect(wrong.body.message).toContain(`the plan changes 20 sites (fingerprint ${r.fingerprint})`);
  for (let i = 0; i < 5; i++) {
    await ctx.engine.tick();
    ctx.clock.advance(60_000);
  }
  expect(await pins(ctx.cp)).toEqual(before);
  expect(await ctx.cp.db.pinEvent.count()).toBe(eventsBefore);

  // Started with the plan's own numbers, it reaches exactly the planned sites.
  await start(ctx.cp, r);
  for (let i = 0; i < 10 && (await ctx.engine.step(r.id)) !== 'completed'; i++)
    ctx.clock.advance(60_000);
  const after = await pins(ctx.cp);
  const changed = [...after]
    .filter(([key, version]) => before.get(key) !== version)
    .map(([key]) => key);
  expect(changed.sort()).toEqual([...highLoad].sort());
  const touched = await ctx.cp.db.pinEvent.findMany({
    where: { id: { gt: BigInt(eventsBefore) } },
    select: { siteKey: true },
  });
  expect(touched.every((e) => highLoad.includes(e.siteKey))).toBe(true);
});
