// The engine keeps nothing in memory between steps. Stopping it between every step — a new
// engine each time, as after a restart — must give exactly the result of an uninterrupted run.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { highLoad, pins, planOk, start, startRolloutPlane } from '../../test/rollouts.ts';
import { createLogger } from '../lib/logger.ts';
import { soleLease } from './lease.ts';
import { RolloutEngine } from './rollout-engine.ts';

let ctx: Awaited<ReturnType<typeof startRolloutPlane>>;
beforeAll(async () => {
  ctx = await startRolloutPlane();
});
afterAll(() => ctx.cp.close());

it('finishes a rollout correctly with the engine stopped and started again between every step', async () => {
  const before = await pins(ctx.cp);
  const r = await planOk(ctx.cp, {
    targetVersion: 'v2',
    selector: 'load=high',
    stages: [{ count: 2 }, { percent: 25 }, { percent: 50 }, { percent: 100 }],
  });
  await start(ctx.cp, r);

  const steps: string[] = [];
  for (let i = 0; i < 50; i++) {
    const engine = new RolloutEngine({
      db: ctx.cp.db,
      clock: ctx.clock,
      revisions: ctx.cp.plane.services.revisions,
      lease: soleLease,
      logger: createLogger({ name: 'test', level: 'silent' }),
      tickMs: 1_000,
      sensors: ctx.cp.plane.services.sensors,
    });
    const results = await engine.tick();
    await engine.stop();
    const result = results.get(r.id) ?? 'gone';
    steps.push(result);
    if (result === 'baking') ctx.clock.advance(30_000);
    if (result === 'gone') break;
  }
  // Each stage applied once, baked until its time was up, and passed; then nothing moves.
  expect(steps).toEqual([
    ...['applied', 'baking', 'baking', 'passed'],
    ...['applied', 'baking', 'baking', 'passed'],
    ...['applied', 'baking', 'baking', 'passed'],
    ...['applied', 'baking', 'baking', 'completed'],
    'gone',
  ]);
  const after = await pins(ctx.cp);
  for (const [key, version] of after)
    expect(version).toBe(highLoad.includes(key) ? 'v2' : before.get(key));
  const perSite = await ctx.cp.db.pinEvent.groupBy({
    by: ['siteKey'],
    where: { rolloutId: r.id },
    _count: { _all: true },
  });
  expect(perSite).toHaveLength(20);
  expect(perSite.every((s) => s._count._all === 1)).toBe(true);
});
