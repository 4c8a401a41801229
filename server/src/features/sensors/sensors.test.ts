// Sensor health on the control plane, driven by explicit heartbeats and a clock that moves only
// when told: what each ingestion instance's lag looks like, when it holds rollouts (start,
// advance, every forward step of the engine) and says so in a sentence, when it lets go, and the
// webhook announcements of each change.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initialTokens } from '../../../test/control-plane.ts';
import { pins, planOk, start, startRolloutPlane } from '../../../test/rollouts.ts';

let ctx: Awaited<ReturnType<typeof startRolloutPlane>>;
beforeAll(async () => {
  ctx = await startRolloutPlane({
    PINION_MAX_REPORT_LAG_SECONDS: '60',
    PINION_SENSOR_GONE_SECONDS: '600',
  });
});
afterAll(() => ctx.cp.close());
beforeEach(async () => {
  await ctx.cp.db.sensor.deleteMany();
  await ctx.cp.db.notification.deleteMany();
});

const heartbeat = (instanceId: string, beat: { lagSeconds?: number; stopping?: boolean } = {}) => {
  const lag = beat.lagSeconds ?? 0;
  return ctx.cp.api('POST', '/api/v1/sensors/heartbeat', {
    token: initialTokens.ingest,
    body: {
      instanceId,
      lagSeconds: lag,
      unreported: lag > 0 ? 12 : 0,
      oldestUnreportedAt: lag > 0 ? new Date(Date.now() - lag * 1000).toISOString() : null,
      queued: 3,
      oldestQueuedAt: new Date().toISOString(),
      lastDeliveredAt: new Date().toISOString(),
      stopping: beat.stopping ?? false,
    },
  });
};
const sensors = async () => (await ctx.cp.api('GET', '/api/v1/sensors')).body;
const stateOf = async (id: string) =>
  (await sensors()).items.find((s: { instanceId: string }) => s.instanceId === id);
const minutes = (n: number) => n * 60_000;

describe('sensor health', () => {
  it("shows each instance's lag and backlog, judged on the control plane's clock", async () => {
    const beat = await heartbeat('ingest-a', { lagSeconds: 5 });
    expect(beat.status).toBe(200);
    expect(beat.body).toMatchObject({
      limitSeconds: 60,
      sensor: { state: 'ok', holdsRollouts: false },
    });
    await heartbeat('ingest-b', { lagSeconds: 90 });

    const seen = await sensors();
    expect(seen).toMatchObject({ limitSeconds: 60, goneSeconds: 600 });
    expect(seen.items).toEqual([
      expect.objectContaining({
        instanceId: 'ingest-a',
        state: 'ok',
        lagSeconds: 5,
        unreported: 12,
        queued: 3,
        lastDeliveredAt: expect.any(String),
      }),
      expect.objectContaining({ instanceId: 'ingest-b', state: 'lagging', holdsRollouts: true }),
    ]);
    expect(seen.holding).toBe(
      'import reports are late — ingestion instance ingest-b is 90 s behind (12 reports not yet delivered), over the 60 s limit; rollouts do not start or advance until they arrive',
    );

    // Silence counts: a report not sent for 61 s is late, and so is an instance not heard from.
    ctx.clock.advance(61_000);
    expect(await stateOf('ingest-a')).toMatchObject({ state: 'lagging', lagSeconds: 66 });
    await heartbeat('ingest-a');
    expect(await stateOf('ingest-a')).toMatchObject({ state: 'ok', lagSeconds: 0 });
    ctx.clock.advance(61_000);
    expect(await stateOf('ingest-a')).toMatchObject({
      state: 'silent',
      holdsRollouts: true,
      silentSeconds: 61,
    });
    expect((await sensors()).holding).toContain(
      'ingestion instance ingest-a has not been heard from for 61 s',
    );

    // A goodbye with nothing left to report lets go at once; silence past the limit is gone.
    await heartbeat('ingest-a', { stopping: true });
    expect(await stateOf('ingest-a')).toMatchObject({ state: 'stopped', holdsRollouts: false });
    ctx.clock.advance(minutes(10));
    expect(await stateOf('ingest-b')).toMatchObject({ state: 'gone', holdsRollouts: false });
    expect((await sensors()).holding).toBeNull();
  });

  it('refuses a heartbeat that is not one, naming the field, and keeps nothing of it', async () => {
    const res = await ctx.cp.api('POST', '/api/v1/sensors/heartbeat', {
      token: initialTokens.ingest,
      body: { instanceId: 'bad one', lagSeconds: -1, unreported: 0, queued: 0 },
    });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['body.instanceId', 'body.lagSeconds']),
    );
    const viewer = await ctx.cp.tokenFor('viewer');
    const forbidden = await ctx.cp.api('POST', '/api/v1/sensors/heartbeat', {
      token: viewer,
      body: { instanceId: 'x', lagSeconds: 0, unreported: 0, queued: 0 },
    });
    expect(forbidden.status).toBe(403);
    expect((await sensors()).items).toEqual([]);
  });
});

describe('rollouts while import reports are late', () => {
  it('do not start, advance or take a forward step, say why, and go on once the reports arrive', async () => {
    const r = await planOk(ctx.cp, {
      targetVersion: 'v2',
      siteKeys: ['s-001', 's-002', 's-003', 's-004'],
      stages: [{ count: 2 }, { percent: 100 }],
    });
    const confirm = { confirm: { count: r.targetCount, fingerprint: r.fingerprint } };
    await heartbeat('ingest-a', { lagSeconds: 75 });

    const refused = await ctx.cp.api('POST', `/api/v1/rollouts/${r.id}/start`, { body: confirm });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'sensors_lagging',
      message: `rollout r-${r.id} was not started: import reports are late — ingestion instance ingest-a is 75 s behind (12 reports not yet delivered), over the 60 s limit; rollouts do not start or advance until they arrive`,
      details: [{ path: 'sensors.ingest-a', message: expect.stringContaining('75 s behind') }],
    });
    expect((await ctx.cp.api('GET', `/api/v1/rollouts/${r.id}`)).body.state).toBe('planned');

    await heartbeat('ingest-a', { lagSeconds: 2 });
    await start(ctx.cp, r);
    expect(await ctx.engine.step(r.id)).toBe('applied');
    ctx.clock.advance(60_000);

    // Baked, but the reports are late: neither a person nor the engine moves it on.
    await heartbeat('ingest-a', { lagSeconds: 80 });
    const advance = await ctx.cp.api('POST', `/api/v1/rollouts/${r.id}/advance`, {
      body: { reason: 'looks fine' },
    });
    expect(advance.status).toBe(409);
    expect(advance.body.code).toBe('sensors_lagging');
    expect(advance.body.message).toMatch(new RegExp(`^rollout r-${r.id} was not advanced: `));
    expect(await ctx.engine.step(r.id)).toBe('waiting');
    const held = (await ctx.cp.api('GET', `/api/v1/rollouts/${r.id}`)).body;
    expect(held).toMatchObject({ state: 'running', currentStage: 1, phase: 'baking' });
    expect(held.waiting).toMatch(/^import reports are late — ingestion instance ingest-a is 80 s/);

    // In time again: the stage passes; late again before the next stage is applied: it waits.
    await heartbeat('ingest-a', { lagSeconds: 1 });
    expect(await ctx.engine.step(r.id)).toBe('passed');
    ctx.clock.advance(61_000);
    expect(await ctx.engine.step(r.id)).toBe('waiting');
    const before = await pins(ctx.cp);
    expect([...before.values()].filter((v) => v === 'v2')).toHaveLength(2);

    // A silent instance holds it until it is gone, then nothing does.
    ctx.clock.advance(minutes(10));
    expect(await ctx.engine.step(r.id)).toBe('applied');
    expect((await ctx.cp.api('GET', `/api/v1/rollouts/${r.id}`)).body.waiting).toBeNull();
    expect([...(await pins(ctx.cp)).values()].filter((v) => v === 'v2')).toHaveLength(4);
  });

  it('never hold a revert, a halt or a pause', async () => {
    const r = await planOk(ctx.cp, {
      targetVersion: 'v2',
      siteKeys: ['s-011', 's-012', 's-013'],
      stages: [{ count: 1 }, { percent: 100 }],
    });
    await start(ctx.cp, r);
    expect(await ctx.engine.step(r.id)).toBe('applied');
    await heartbeat('ingest-a', { lagSeconds: 500 });
    for (const action of ['pause', 'resume', 'halt', 'revert']) {
      const res = await ctx.cp.api('POST', `/api/v1/rollouts/${r.id}/${action}`, {
        body: { reason: 'on-call' },
      });
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    expect((await pins(ctx.cp)).get('s-011')).toBe('v1');
  });
});

describe('canary analysis while import reports are late', () => {
  let seq = 0;
  const report = async (siteKey: string, version: string, imported: number, at: Date) => {
    const res = await ctx.cp.api('POST', '/api/v1/import-reports', {
      token: initialTokens.ingest,
      body: {
        importId: `late-${++seq}`,
        siteKey,
        version,
        received: 1_100,
        imported,
        rejected: 0,
        durationMs: 40,
        completedAt: at.toISOString(),
      },
    });
    expect(res.status).toBe(201);
  };
  const at = (seconds: number) => new Date(ctx.clock.now().getTime() + seconds * 1_000);
  async function running(sites: string[]) {
    for (const site of sites)
      for (let h = 5; h >= 1; h--) await report(site, 'v1', 1_004, at(-h * 3600));
    const r = await planOk(ctx.cp, {
      targetVersion: 'v2',
      siteKeys: sites,
      stages: [{ count: 2 }, { percent: 100 }],
      bake: { minBakeSeconds: 600, minImportsPerSite: 1 },
      checks: { maxWaitSeconds: 600 },
    });
    await start(ctx.cp, r);
    expect(await ctx.engine.step(r.id)).toBe('applied');
    const canaries = (
      await ctx.cp.api('GET', `/api/v1/rollouts/${r.id}/targets?stage=1`)
    ).body.items.map((t: { siteKey: string }) => t.siteKey as string);
    return { r, canaries };
  }

  it('still halts and reverts on a regression in the reports that did arrive', async () => {
    const { r, canaries } = await running(['s-021', 's-022', 's-023', 's-024']);
    await heartbeat('ingest-a', { lagSeconds: 300 });
    await report(canaries[0]!, 'v2', 612, at(5));
    expect(await ctx.engine.step(r.id)).toBe('reverted');
  });

  it('waits rather than halting for missing data, and halts once reports are in time again', async () => {
    const { r } = await running(['s-031', 's-032', 's-033', 's-034']);
    ctx.clock.advance(minutes(21));
    await heartbeat('ingest-a', { lagSeconds: 300 });
    // Past the bake and the wait for data: without late reports this halts for lack of data.
    expect(await ctx.engine.step(r.id)).toBe('waiting');
    await heartbeat('ingest-a', { lagSeconds: 0 });
    expect(await ctx.engine.step(r.id)).toBe('halted');
    expect((await ctx.cp.api('GET', `/api/v1/rollouts/${r.id}`)).body.endReason).toMatch(
      /^insufficient data: /,
    );
  });
});

describe('announcements', () => {
  const events = async () =>
    (await ctx.cp.api('GET', '/api/v1/notifications')).body.items
      .map((n: { event: string; text: string }) => [n.event, n.text])
      .reverse();

  it('announce each change once: late, in time again, silent, gone', async () => {
    await heartbeat('ingest-a', { lagSeconds: 70 });
    await heartbeat('ingest-a', { lagSeconds: 75 });
    await ctx.cp.plane.services.sensors.reconcile();
    await heartbeat('ingest-a', { lagSeconds: 0 });
    await heartbeat('ingest-b');
    await ctx.cp.plane.services.sensors.reconcile();
    ctx.clock.advance(61_000);
    await heartbeat('ingest-a');
    await ctx.cp.plane.services.sensors.reconcile();
    ctx.clock.advance(minutes(10));
    await heartbeat('ingest-a');
    await ctx.cp.plane.services.sensors.reconcile();

    expect(await events()).toEqual([
      [
        'sensors.lagging',
        ':warning: Import reports are late: ingestion instance ingest-a is 70 s behind (12 reports not yet delivered), over the 60 s limit. Rollouts do not start or advance until they arrive.',
      ],
      [
        'sensors.recovered',
        ':white_check_mark: Ingestion instance ingest-a is reporting in time again; it no longer holds rollouts.',
      ],
      [
        'sensors.lagging',
        ':warning: Import reports are late: ingestion instance ingest-b has not been heard from for 61 s, over the 60 s limit. Rollouts do not start or advance until they arrive.',
      ],
      [
        'sensors.gone',
        ':ghost: Ingestion instance ingest-b has not been heard from for 661 s and is considered gone; it no longer holds rollouts.',
      ],
    ]);
  });
});
