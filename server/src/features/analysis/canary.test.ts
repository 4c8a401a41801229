import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens } from '../../../test/control-plane.ts';
import { pins, plan, start, startRolloutPlane } from '../../../test/rollouts.ts';

let ctx: Awaited<ReturnType<typeof startRolloutPlane>>;
const announced: { text: string; event: string }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    announced.push(JSON.parse(body));
    res.writeHead(200).end('ok');
  });
});
beforeAll(async () => {
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const webhook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  ctx = await startRolloutPlane({ PINION_WEBHOOK_URL: webhook });
});
afterAll(async () => {
  await ctx.cp.close();
  receiver.close();
});

let seq = 0;
/** What the ingestion API would report for one import. */
async function report(
  siteKey: string,
  version: string,
  imported: number,
  at: Date,
  extra: object = {},
) {
  const res = await ctx.cp.api('POST', '/api/v1/import-reports', {
    token: initialTokens.ingest,
    body: {
      importId: `imp-${++seq}`,
      siteKey,
      version,
      received: 1_100,
      imported,
      rejected: 0,
      durationMs: 40,
      completedAt: at.toISOString(),
      ...extra,
    },
  });
  expect(res.status).toBe(201);
  return res.body.report;
}

const hoursAgo = (h: number) => new Date(ctx.clock.now().getTime() - h * 3_600_000);
const later = (s: number) => new Date(ctx.clock.now().getTime() + s * 1_000);

/** Five imports of about 1,004 products on v1 in the last hours: each site's own baseline. */
async function baselines(sites: string[]) {
  for (const site of sites)
    for (let h = 5; h >= 1; h--)
      await report(site, 'v1', [1_004, 1_000, 1_010, 1_004, 998][h - 1]!, hoursAgo(h));
}

async function planWithChecks(sites: string[], extra: object = {}) {
  const res = await plan(ctx.cp, {
    targetVersion: 'v2',
    siteKeys: sites,
    stages: [{ count: 2 }, { percent: 100 }],
    bake: { minBakeSeconds: 600, minImportsPerSite: 1 },
    checks: {},
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await start(ctx.cp, res.body);
  expect(await ctx.engine.step(res.body.id)).toBe('applied');
  const canaries = (
    await ctx.cp.api('GET', `/api/v1/rollouts/${res.body.id}/targets?stage=1`)
  ).body.items.map((t: any) => t.siteKey);
  return { rollout: res.body, canaries: canaries as string[] };
}

describe('canary analysis', () => {
  it('halts and reverts at once when a canary site imports fewer products, saying why', async () => {
    const sites = ['s-105', 's-106', 's-107', 's-108'];
    await baselines(sites);
    const { rollout, canaries } = await planWithChecks(sites);
    await report(canaries[0]!, 'v2', 612, later(5));

    // Mid-bake: a clear regression does not wait for the bake to end.
    expect(await ctx.engine.step(rollout.id)).toBe('reverted');
    const after = (await ctx.cp.api('GET', `/api/v1/rollouts/${rollout.id}`)).body;
    const verdict = `site ${canaries[0]}: imported 612 products on v2, baseline 1,004 on v1 (−39%), threshold −5%`;
    expect(after).toMatchObject({ state: 'reverted', endReason: `automatic revert: ${verdict}` });
    const now = await pins(ctx.cp);
    for (const site of sites) expect(now.get(site)).toBe('v1');

    const analysis = (await ctx.cp.api('GET', `/api/v1/rollouts/${rollout.id}/analysis`)).body;
    expect(analysis.stages[0].sites[0]).toMatchObject({ siteKey: canaries[0], outcome: 'fail' });
    expect(analysis.stages[0].sites[0].checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'imported_products', outcome: 'fail', message: verdict }),
      ]),
    );
    const audit = (await ctx.cp.api('GET', `/api/v1/audit?rollout=${rollout.id}`)).body.items.map(
      (e: any) => e.action,
    );
    expect(audit).toEqual(expect.arrayContaining(['rollout.halted', 'rollout.reverted']));

    // Announced on the webhook, in words a person on call understands.
    await ctx.cp.plane.services.webhook.kick();
    expect(announced.map((a) => a.event)).toEqual(['rollout.halted', 'rollout.reverted']);
    expect(announced[0]!.text).toBe(
      `:rotating_light: Rollout r-${rollout.id} to v2 halted in stage 1: ${verdict} Reverting it now.`,
    );
    expect(announced[1]!.text).toContain(
      `Rollout r-${rollout.id} to v2 reverted: 2 site(s) back on their previous version`,
    );
  });

  it('passes a healthy stage only after its bake, with every canary judged', async () => {
    const sites = ['s-111', 's-112', 's-113', 's-114'];
    await baselines(sites);
    const { rollout, canaries } = await planWithChecks(sites);
    await report(canaries[0]!, 'v2', 1_012, later(5));
    expect(await ctx.engine.step(rollout.id)).toBe('baking');
    ctx.clock.advance(601_000);
    // One canary has no data yet: no pass.
    expect(await ctx.engine.step(rollout.id)).toBe('baking');
    await report(canaries[1]!, 'v2', 995, later(1));
    expect(await ctx.engine.step(rollout.id)).toBe('passed');
    await ctx.cp.api('POST', `/api/v1/rollouts/${rollout.id}/revert`, {
      body: { reason: 'test done' },
    });
  });

  it('never takes missing data for success: it halts after the maximum wait, without reverting', async () => {
    const sites = ['s-124', 's-125', 's-126'];
    await baselines(sites);
    const { rollout, canaries } = await planWithChecks(sites, {
      checks: { maxWaitSeconds: 1_800 },
    });
    ctx.clock.advance(601_000);
    expect(await ctx.engine.step(rollout.id)).toBe('baking');
    ctx.clock.advance(1_800_000);
    expect(await ctx.engine.step(rollout.id)).toBe('halted');
    const after = (await ctx.cp.api('GET', `/api/v1/rollouts/${rollout.id}`)).body;
    expect(after.state).toBe('halted');
    expect(after.endReason).toBe(
      'insufficient data: 2 of 2 site(s) lack enough data to judge after waiting 1800 s past the bake',
    );
    // Halting for missing data leaves the pins for a person to decide.
    expect((await pins(ctx.cp)).get(canaries[0]!)).toBe('v2');
    await ctx.cp.api('POST', `/api/v1/rollouts/${rollout.id}/revert`, {
      body: { reason: 'test done' },
    });
  });

  it('does not count a report of the wrong version as canary data, and says so', async () => {
    const sites = ['s-131', 's-132', 's-133'];
    await baselines(sites);
    const { rollout, canaries } = await planWithChecks(sites);
    // An import processed with v1 after the pin moved to v2 (the SDK had not polled yet).
    const stale = await report(canaries[0]!, 'v1', 400, later(2));
    expect(stale.flagged).toBe('processed with v1 while the site was pinned to v2');
    ctx.clock.advance(601_000);
    expect(await ctx.engine.step(rollout.id)).toBe('baking');
    await ctx.cp.api('POST', `/api/v1/rollouts/${rollout.id}/revert`, {
      body: { reason: 'test done' },
    });
  });

  it('pauses the reverted sites when the revert policy says so', async () => {
    const sites = ['s-144', 's-145', 's-146'];
    await baselines(sites);
    const { rollout, canaries } = await planWithChecks(sites, {
      revertPolicy: { automatic: true, pauseSites: true },
    });
    await report(canaries[1]!, 'v2', 500, later(3));
    expect(await ctx.engine.step(rollout.id)).toBe('reverted');
    const paused = (await ctx.cp.api('GET', '/api/v1/sites?paused=true&q=s-14')).body.items.map(
      (s: any) => s.key,
    );
    expect(paused.sort()).toEqual([...canaries].sort());
    const features = await ctx.cp.api('GET', '/api/client/features', {
      token: null,
      headers: { authorization: initialTokens.client },
    });
    expect(features.body.features[1].strategies[0].parameters.siteIds.split(',').sort()).toEqual(
      [...canaries].sort(),
    );
  });

  it('catches a drop too small for any one site but shared by every canary, against the control group', async () => {
    // 24 sites on v1 (every 20th demo site from s-003 on is on v3).
    const sites = Array.from({ length: 26 }, (_, i) => 151 + i)
      .filter((n) => n % 20 !== 3)
      .slice(0, 24)
      .map((n) => `s-${n}`);
    await baselines(sites);
    const { rollout, canaries } = await planWithChecks(sites, {
      stages: [{ count: 8 }, { percent: 100 }],
    });
    const control = sites.filter((s) => !canaries.includes(s));
    for (const [i, site] of canaries.entries()) await report(site, 'v2', 962 - i, later(5)); // about −4%
    for (const [i, site] of control.entries())
      await report(site, 'v1', 1_000 + (i % 5) * 3, later(5));
    ctx.clock.advance(601_000);
    expect(await ctx.engine.step(rollout.id)).toBe('reverted');
    const analysis = (await ctx.cp.api('GET', `/api/v1/rollouts/${rollout.id}/analysis`)).body;
    const comparison = analysis.stages[0].stageChecks[0];
    expect(comparison).toMatchObject({ check: 'canary_vs_control', outcome: 'fail' });
    expect(comparison.message).toMatch(
      /on 8 canary sites against .* on 16 untouched sites \(Mann-Whitney U = 0, p = /,
    );
  });
});
