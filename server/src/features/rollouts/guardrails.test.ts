import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { highLoad, pins, plan, planOk, start, startRolloutPlane } from '../../../test/rollouts.ts';

let ctx: Awaited<ReturnType<typeof startRolloutPlane>>;
beforeAll(async () => {
  ctx = await startRolloutPlane({ PINION_APPROVAL_THRESHOLD: '30' });
});
afterAll(() => ctx.cp.close());

const post = (path: string, body: object, token?: string) =>
  ctx.cp.api('POST', path, { body, ...(token ? { token } : {}) });

describe('starting needs the exact count and fingerprint of the plan', () => {
  it('refuses any other confirmation with both values in the message, and changes nothing', async () => {
    const r = await planOk(ctx.cp, { targetVersion: 'v3', selector: 'region=apac,tier=starter' });
    const before = await pins(ctx.cp);
    for (const confirm of [
      { count: r.targetCount + 1, fingerprint: r.fingerprint },
      { count: r.targetCount, fingerprint: '0000000000000000' },
    ]) {
      const res = await post(`/api/v1/rollouts/${r.id}/start`, { confirm });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('confirmation_mismatch');
      expect(res.body.message).toContain(
        `changes ${r.targetCount} sites (fingerprint ${r.fingerprint})`,
      );
      expect(res.body.message).toContain(
        `you confirmed ${confirm.count} sites (fingerprint ${confirm.fingerprint})`,
      );
    }
    expect((await ctx.cp.api('GET', `/api/v1/rollouts/${r.id}`)).body.state).toBe('planned');
    await ctx.engine.tick();
    expect(await pins(ctx.cp)).toEqual(before);
    await post(`/api/v1/rollouts/${r.id}/abort`, { reason: 'test done' });
  });
});

describe('a site is in at most one active rollout', () => {
  it('refuses a plan that overlaps an active one, naming the site and the rollout', async () => {
    const first = await planOk(ctx.cp, { targetVersion: 'v2', siteKeys: ['s-001', 's-002'] });
    const res = await plan(ctx.cp, { targetVersion: 'v3', siteKeys: ['s-002', 's-004'] });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      `site s-002 is already in active rollout r-${first.id}; finish or revert it first`,
    );
    expect(
      await ctx.cp.db.rollout.count({ where: { targetVersion: 'v3', siteKeys: { has: 's-004' } } }),
    ).toBe(0);
    await post(`/api/v1/rollouts/${first.id}/abort`, { reason: 'free the sites' });
    const second = await plan(ctx.cp, { targetVersion: 'v3', siteKeys: ['s-002', 's-004'] });
    expect(second.status).toBe(201);
    await post(`/api/v1/rollouts/${second.body.id}/abort`, { reason: 'test done' });
  });

  it('lets exactly one of two concurrent plans for the same sites win', async () => {
    // All on v1 (s-023 is on v3, and would not be a target of the v3 plan).
    const sites = ['s-021', 's-022', 's-024', 's-025'];
    const results = await Promise.all([
      plan(ctx.cp, { targetVersion: 'v2', siteKeys: sites }),
      plan(ctx.cp, { targetVersion: 'v3', siteKeys: [...sites].reverse() }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const locks = await ctx.cp.db.siteRolloutLock.findMany({ where: { siteKey: { in: sites } } });
    const winner = results.find((r) => r.status === 201)!.body.id;
    expect(locks.map((l) => l.rolloutId)).toEqual([winner, winner, winner, winner]);
  });

  afterAll(async () => {
    // The last two tests use the concurrency winner; free its sites afterwards.
    const active = await ctx.cp.db.rollout.findMany({ where: { state: 'planned' } });
    for (const r of active) await post(`/api/v1/rollouts/${r.id}/abort`, { reason: 'test done' });
  });

  it('is enforced by the database itself', async () => {
    const [lock] = await ctx.cp.db.siteRolloutLock.findMany({ take: 1 });
    await expect(
      ctx.cp.db
        .$executeRaw`INSERT INTO site_rollout_locks (site_key, rollout_id) VALUES (${lock!.siteKey}, 999999)`,
    ).rejects.toThrow();
  });

  it('refuses a manual pin change of a site in an active rollout', async () => {
    const lock = (await ctx.cp.db.siteRolloutLock.findMany({ take: 1 }))[0]!;
    const res = await ctx.cp.api('PUT', `/api/v1/sites/${lock.siteKey}/pin`, {
      body: { version: 'v3', reason: 'hotfix' },
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      `site ${lock.siteKey} is in active rollout r-${lock.rolloutId}; finish or revert it first`,
    );
  });
});

describe('compare-and-set against the plan', () => {
  it('skips and reports a site whose pin changed since the plan, never overwriting it', async () => {
    const r = await planOk(ctx.cp, {
      targetVersion: 'v2',
      siteKeys: ['s-031', 's-032'],
      stages: [{ percent: 100 }],
    });
    // Someone changes s-031 behind Pinion's back (directly in the database).
    await ctx.cp.db.site.update({ where: { key: 's-031' }, data: { pinnedVersion: 'v3' } });
    await start(ctx.cp, r);
    expect(await ctx.engine.step(r.id)).toBe('applied');
    const targets = await ctx.cp.api('GET', `/api/v1/rollouts/${r.id}/targets`);
    expect(targets.body.items).toEqual([
      expect.objectContaining({
        siteKey: 's-031',
        status: 'skipped_changed',
        fromVersion: 'v1',
        foundVersion: 'v3',
      }),
      expect.objectContaining({ siteKey: 's-032', status: 'applied' }),
    ]);
    const now = await pins(ctx.cp);
    expect(now.get('s-031')).toBe('v3');
    expect(now.get('s-032')).toBe('v2');
    const audit = await ctx.cp.api(
      'GET',
      `/api/v1/audit?rollout=${r.id}&action=rollout.stage_applied`,
    );
    expect(audit.body.items[0].after).toEqual({
      stage: 1,
      applied: 1,
      skipped: [{ siteKey: 's-031', found: 'v3' }],
    });
    await post(`/api/v1/rollouts/${r.id}/revert`, { reason: 'test done' });
  });
});

describe('approval of large plans', () => {
  it('needs a second release engineer, never the author', async () => {
    const alice = await ctx.cp.tokenFor('release', 'alice');
    const bob = await ctx.cp.tokenFor('release', 'bob');
    const res = await plan(ctx.cp, { targetVersion: 'v2', selector: 'region=eu' }, alice);
    expect(res.status).toBe(201);
    const r = res.body;
    expect(r).toMatchObject({ state: 'awaiting_approval', approvalRequired: true });
    const early = await post(
      `/api/v1/rollouts/${r.id}/start`,
      { confirm: { count: r.targetCount, fingerprint: r.fingerprint } },
      alice,
    );
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('awaiting approval');
    const self = await post(`/api/v1/rollouts/${r.id}/approve`, { reason: 'lgtm' }, alice);
    expect(self.status).toBe(403);
    expect(self.body.message).toContain('alice planned r-');
    const approved = await post(
      `/api/v1/rollouts/${r.id}/approve`,
      { reason: 'checked the blast radius' },
      bob,
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'planned', approvedBy: 'bob' });
    await post(`/api/v1/rollouts/${r.id}/abort`, { reason: 'test done' });
  });
});

describe('freeze windows', () => {
  it('block starting and advancing unless an admin overrides with a reason', async () => {
    const now = ctx.clock.now();
    const window = await post('/api/v1/freeze-windows', {
      name: 'Black Friday',
      startsAt: new Date(now.getTime() - 3_600_000).toISOString(),
      endsAt: new Date(now.getTime() + 86_400_000).toISOString(),
      reason: 'peak traffic',
    });
    expect(window.status).toBe(201);
    const r = await planOk(ctx.cp, {
      targetVersion: 'v2',
      siteKeys: ['s-041', 's-042'],
      stages: [{ count: 1 }, { percent: 100 }],
    });
    const confirm = { count: r.targetCount, fingerprint: r.fingerprint };
    const frozen = await post(`/api/v1/rollouts/${r.id}/start`, { confirm });
    expect(frozen.status).toBe(409);
    expect(frozen.body.message).toContain('rollouts are frozen until');
    expect(frozen.body.message).toContain('Black Friday: peak traffic');

    const release = await ctx.cp.tokenFor('release');
    const notAdmin = await post(
      `/api/v1/rollouts/${r.id}/start`,
      { confirm, override: { reason: 'urgent fix' } },
      release,
    );
    expect(notAdmin.status).toBe(403);

    const overridden = await post(`/api/v1/rollouts/${r.id}/start`, {
      confirm,
      override: { reason: 'security fix, approved by CTO' },
    });
    expect(overridden.status).toBe(200);
    const audit = await ctx.cp.api('GET', `/api/v1/audit?rollout=${r.id}&action=rollout.started`);
    expect(audit.body.items[0].after).toMatchObject({
      overrodeFreeze: 'Black Friday',
      overrideReason: 'security fix, approved by CTO',
    });

    // The engine applies the stage it was told to, but does not move on by itself while frozen.
    expect(await ctx.engine.step(r.id)).toBe('applied');
    ctx.clock.advance(3_600_000);
    expect(await ctx.engine.step(r.id)).toBe('baking');
    const advance = await post(`/api/v1/rollouts/${r.id}/advance`, { reason: 'looks fine' });
    expect(advance.status).toBe(409);
    expect(advance.body.code).toBe('frozen');

    await ctx.cp.api(
      'DELETE',
      `/api/v1/freeze-windows/${window.body.id}?reason=${encodeURIComponent('over')}`,
    );
    expect(await ctx.engine.step(r.id)).toBe('passed');
    await post(`/api/v1/rollouts/${r.id}/revert`, { reason: 'test done' });
  });
});

describe('bad plans are refused with the reason and change nothing', () => {
  it.each([
    [{ stages: [] }, 'body.stages', 'give at least one stage'],
    [
      { stages: [{ percent: 50 }, { percent: 20 }, { percent: 100 }] },
      'body.stages.1.percent',
      'percentages must increase',
    ],
    [{ stages: [{ percent: 150 }] }, 'body.stages.0', ''],
    [
      { stages: [{ percent: 10 }, { count: 2 }, { percent: 100 }] },
      'body.stages.1',
      'only the first stage may be a count',
    ],
    [{ stages: [{ count: 2 }, { percent: 50 }] }, 'body.stages.1', 'the last stage must be'],
    [{ targetVersion: 'v9' }, 'targetVersion', "unknown version 'v9'"],
    [{ selector: 'load=nothing-like-this' }, 'body', 'the selection matches no site'],
    [{ cohortId: 4242, selector: undefined }, undefined, 'cohort 4242 does not exist'],
    [{ selector: 'load=high', cohortId: 1 }, 'body.cohortId', 'give either cohortId'],
    [{ selector: 'load=high', color: 'red' }, 'body.color', "unknown field 'color'"],
  ])('%j', async (change, path, message) => {
    const before = await ctx.cp.db.rollout.count();
    const res = await plan(ctx.cp, { targetVersion: 'v2', selector: 'load=high', ...change });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    if (path) expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(res.body.message).toContain(message);
    expect(await ctx.cp.db.rollout.count()).toBe(before);
  });

  it('refuses a retired target version', async () => {
    await ctx.cp.api('PATCH', '/api/v1/versions/v3', {
      body: { status: 'retired', reason: 'test' },
    });
    const res = await plan(ctx.cp, { targetVersion: 'v3', selector: 'load=high' });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("targetVersion: version 'v3' is retired");
    await ctx.cp.api('PATCH', '/api/v1/versions/v3', {
      body: { status: 'active', reason: 'test' },
    });
  });

  it('leaves out sites already on the target version, and refuses a plan with nothing to do', async () => {
    const onV3 = ['s-003', 's-023'];
    const mixed = await planOk(ctx.cp, { targetVersion: 'v3', siteKeys: [...onV3, 's-005'] });
    expect(mixed).toMatchObject({ targetCount: 1, summary: { alreadyOnTarget: 2 } });
    await post(`/api/v1/rollouts/${mixed.id}/abort`, { reason: 'test done' });
    const none = await plan(ctx.cp, { targetVersion: 'v3', siteKeys: onV3 });
    expect(none.status).toBe(400);
    expect(none.body.message).toBe('nothing to roll out: all 2 selected sites are already on v3');
  });

  it('refuses actions the state does not allow', async () => {
    const r = await planOk(ctx.cp, { targetVersion: 'v2', siteKeys: ['s-051'] });
    const pause = await post(`/api/v1/rollouts/${r.id}/pause`, { reason: 'x' });
    expect(pause.status).toBe(409);
    expect(pause.body.message).toBe(
      `rollout r-${r.id} is planned; pause applies only to running rollouts`,
    );
    const revert = await post(`/api/v1/rollouts/${r.id}/revert`, { reason: 'x' });
    expect(revert.body.message).toContain('abort it instead');
    await start(ctx.cp, r);
    const abort = await post(`/api/v1/rollouts/${r.id}/abort`, { reason: 'x' });
    expect(abort.status).toBe(409);
    expect(abort.body.message).toContain('revert it instead');
  });
});

it('never touches a site outside its plan', async () => {
  // Every pin change made by a rollout in this file is of a site in that rollout's targets.
  const stray = await ctx.cp.db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pin_events e
     WHERE e.rollout_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM rollout_targets t WHERE t.rollout_id = e.rollout_id AND t.site_key = e.site_key)`;
  expect(Number(stray[0]!.n)).toBe(0);
  expect(highLoad).toHaveLength(20);
});
