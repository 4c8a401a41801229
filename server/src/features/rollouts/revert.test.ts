import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens } from '../../../test/control-plane.ts';
import { pins, planOk, start, startRolloutPlane } from '../../../test/rollouts.ts';

let ctx: Awaited<ReturnType<typeof startRolloutPlane>>;
let operator: string;
beforeAll(async () => {
  ctx = await startRolloutPlane();
  operator = await ctx.cp.tokenFor('operator', 'on-call');
});
afterAll(() => ctx.cp.close());

const post = (path: string, body: object, token?: string) =>
  ctx.cp.api('POST', path, { body, ...(token ? { token } : {}) });
const revert = (id: number) =>
  post(`/api/v1/rollouts/${id}/revert`, { reason: 'imports look wrong' }, operator);

/** A rollout of `sites` to v2 with its canary stage applied (and, for `completed`, all of it). */
async function rolloutIn(
  state: 'running' | 'paused' | 'halted' | 'completed',
  sites: string[],
  extra: object = {},
) {
  const r = await planOk(ctx.cp, {
    targetVersion: 'v2',
    siteKeys: sites,
    stages: [{ count: 2 }, { percent: 100 }],
    ...extra,
  });
  await start(ctx.cp, r);
  await ctx.engine.step(r.id);
  if (state === 'paused')
    await post(`/api/v1/rollouts/${r.id}/pause`, { reason: 'looking' }, operator);
  if (state === 'halted')
    await post(`/api/v1/rollouts/${r.id}/halt`, { reason: 'errors' }, operator);
  if (state === 'completed') {
    ctx.clock.advance(60_000);
    await ctx.engine.step(r.id);
    await ctx.engine.step(r.id);
    ctx.clock.advance(60_000);
    expect(await ctx.engine.step(r.id)).toBe('completed');
  }
  return r;
}

describe('one-click revert', () => {
  it.each([
    ['running', ['s-101', 's-102', 's-103', 's-104'], 2],
    ['paused', ['s-111', 's-112', 's-113', 's-114'], 2],
    ['halted', ['s-121', 's-122', 's-123', 's-124'], 2],
    ['completed', ['s-131', 's-132', 's-133', 's-134'], 4],
  ] as const)(
    'from %s: every changed site goes back to its pre-rollout pin at once',
    async (state, sites, changed) => {
      const before = await pins(ctx.cp);
      const r = await rolloutIn(state, [...sites]);
      expect((await ctx.cp.api('GET', `/api/v1/rollouts/${r.id}`)).body.state).toBe(state);

      const res = await revert(r.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        state: 'reverted',
        alreadyReverted: false,
        reverted: changed,
        conflicts: [],
      });
      const after = await pins(ctx.cp);
      for (const key of sites) expect(after.get(key)).toBe(before.get(key));
      expect(await ctx.cp.db.siteRolloutLock.count({ where: { rolloutId: r.id } })).toBe(0);
      // The engine does nothing more with it.
      ctx.clock.advance(3_600_000);
      expect(await ctx.engine.step(r.id)).toBe('idle');
      expect(await pins(ctx.cp)).toEqual(after);
    },
  );

  it('is idempotent: a second revert changes nothing and says so', async () => {
    const r = await rolloutIn('running', ['s-141', 's-142', 's-143']);
    await revert(r.id);
    const events = await ctx.cp.db.pinEvent.count();
    const again = await revert(r.id);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ alreadyReverted: true, reverted: 0, state: 'reverted' });
    expect(await ctx.cp.db.pinEvent.count()).toBe(events);
  });

  it('lists sites someone changed after the rollout instead of overwriting them', async () => {
    const r = await rolloutIn('completed', ['s-151', 's-152', 's-153']);
    await ctx.cp.setPin('s-152', 'v3', 'customer asked for v3');
    const res = await revert(r.id);
    expect(res.body.reverted).toBe(2);
    expect(res.body.conflicts).toEqual([{ siteKey: 's-152', expected: 'v2', found: 'v3' }]);
    const now = await pins(ctx.cp);
    expect(now.get('s-152')).toBe('v3');
    expect(now.get('s-151')).toBe('v1');
    const target = await ctx.cp.api(
      'GET',
      `/api/v1/rollouts/${r.id}/targets?status=revert_conflict`,
    );
    expect(target.body.items).toEqual([
      expect.objectContaining({ siteKey: 's-152', foundVersion: 'v3' }),
    ]);
  });

  it('is served to SDKs immediately: the very next poll gets the new revision', async () => {
    const r = await rolloutIn('running', ['s-161', 's-162']);
    const client = (etag?: string) =>
      ctx.cp.api('GET', '/api/client/features', {
        token: null,
        headers: {
          authorization: initialTokens.client,
          ...(etag ? { 'if-none-match': etag } : {}),
        },
      });
    const etag = (await client()).headers.get('etag')!;
    await revert(r.id);
    const next = await client(etag);
    expect(next.status).toBe(200);
    const v2 = next.body.features[0].strategies.find(
      (s: any) => s.variants[0].payload.value === 'v2',
    );
    expect(v2?.parameters.siteIds.split(',') ?? []).not.toContain('s-161');
  });

  it('is audited with who, why and what it did, for the rollout and each site', async () => {
    const r = await rolloutIn('running', ['s-171', 's-172']);
    await revert(r.id);
    const audit = await ctx.cp.api('GET', `/api/v1/audit?rollout=${r.id}`);
    const reverted = audit.body.items.find(
      (e: { action: string }) => e.action === 'rollout.reverted',
    );
    expect(reverted).toMatchObject({
      actor: 'on-call',
      token: 'on-call',
      reason: `revert of rollout r-${r.id}: imports look wrong`,
      after: { from: 'running', applied: 2, skipped: [] },
    });
    for (const site of ['s-171', 's-172']) {
      const history = await ctx.cp.api('GET', `/api/v1/sites/${site}/pin-history`);
      expect(history.body.items[0]).toMatchObject({
        fromVersion: 'v2',
        toVersion: 'v1',
        actor: 'on-call',
        rolloutId: r.id,
      });
    }
  });

  it("honours the rollout's revertPolicy.pauseSites, as an automatic revert does", async () => {
    const sites = ['s-191', 's-192', 's-193'];
    const r = await rolloutIn('running', sites, {
      revertPolicy: { automatic: true, pauseSites: true },
    });
    const res = await revert(r.id);
    expect(res.status).toBe(200);
    const changed = (
      await ctx.cp.api('GET', `/api/v1/rollouts/${r.id}/targets?status=reverted`)
    ).body.items.map((t: { siteKey: string }) => t.siteKey);
    expect(changed).toHaveLength(2);
    expect(res.body).toMatchObject({ state: 'reverted', reverted: 2, paused: changed });
    for (const site of sites) {
      const { body } = await ctx.cp.api('GET', `/api/v1/sites/${site}`);
      expect(body.paused, site).toBe(changed.includes(site));
    }
    const audit = await ctx.cp.api('GET', `/api/v1/audit?rollout=${r.id}`);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'sites.paused',
        actor: 'on-call',
        reason: `paused by the revert of r-${r.id} until repaired`,
      }),
    );

    // Without the policy a manual revert pauses nothing.
    const plain = await rolloutIn('running', ['s-194', 's-195']);
    expect((await revert(plain.id)).body).toMatchObject({ reverted: 2, paused: [] });
    for (const site of ['s-194', 's-195'])
      expect((await ctx.cp.api('GET', `/api/v1/sites/${site}`)).body.paused).toBe(false);
  });

  it('cannot be done by a viewer', async () => {
    const r = await rolloutIn('running', ['s-181', 's-182']);
    const viewer = await ctx.cp.tokenFor('viewer');
    const res = await post(`/api/v1/rollouts/${r.id}/revert`, { reason: 'x' }, viewer);
    expect(res.status).toBe(403);
    expect(
      (await pins(ctx.cp)).get(
        (await ctx.cp.api('GET', `/api/v1/rollouts/${r.id}/targets?status=applied`)).body.items[0]
          .siteKey,
      ),
    ).toBe('v2');
  });
});
