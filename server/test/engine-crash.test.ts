// Kill -9 the control plane again and again while its engine runs a rollout. Whatever moment the
// process dies at, the next one continues: the rollout completes, every planned site is changed
// exactly once, and no other site is touched.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoSites } from '../src/demo/demo-fleet.ts';
import { request } from './http.ts';
import { controlPlaneSpec, processDatabaseUrl, startService, tempDir } from './processes.ts';
import type { Service, ServiceSpec } from './processes.ts';

const admin = 'crash-admin-token-000000000';
let cp: Service;
let env: ServiceSpec;
const cleanups: (() => Promise<void>)[] = [];
const api = (method: string, path: string, body?: unknown) =>
  request(cp.url, method, path, { token: admin, body });

beforeAll(async () => {
  const dir = await tempDir('pinion-crash-');
  const database = await processDatabaseUrl();
  cleanups.push(dir.remove, async () => database?.drop());
  env = await controlPlaneSpec({
    dir: dir.path,
    databaseUrl: database?.url,
    tokens: { admin },
    env: { PINION_ENGINE_TICK_MS: '50', PINION_APPROVAL_THRESHOLD: '1000' },
  });
  cp = await startService(env);
  cleanups.push(() => cp.kill());
  await api('POST', '/api/v1/sites/import', { sites: demoSites(200) });
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

it('completes a rollout exactly once across repeated kill -9 of the control plane', async () => {
  const planned = await api('POST', '/api/v1/rollouts', {
    targetVersion: 'v2',
    selector: 'region=eu',
    stages: [
      { count: 2 },
      { percent: 10 },
      { percent: 25 },
      { percent: 50 },
      { percent: 75 },
      { percent: 100 },
    ],
    // Two seconds of bake per stage keeps the rollout going across many process lifetimes.
    bake: { minBakeSeconds: 2, minImportsPerSite: 0 },
    checks: { enabled: false },
  });
  expect(planned.status).toBe(201);
  const r = planned.body;
  const targets = new Set<string>();
  for (let offset = 0; offset < r.targetCount; offset += 1000) {
    const page = await api('GET', `/api/v1/rollouts/${r.id}/targets?limit=1000&offset=${offset}`);
    for (const t of page.body.items) targets.add(t.siteKey);
  }
  const before = new Map(
    (await api('GET', '/api/v1/sites?limit=1000')).body.items.map((s: any) => [
      s.key,
      s.pinnedVersion,
    ]),
  );

  await api('POST', `/api/v1/rollouts/${r.id}/start`, {
    confirm: { count: r.targetCount, fingerprint: r.fingerprint },
  });
  let kills = 0;
  let state = 'running';
  while (state !== 'completed' && kills < 40) {
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 100));
    await cp.kill();
    kills++;
    cp = await startService(env);
    state = (await api('GET', `/api/v1/rollouts/${r.id}`)).body.state;
  }
  // Let the last process finish if the kills ran out first.
  for (let i = 0; i < 200 && state !== 'completed'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    state = (await api('GET', `/api/v1/rollouts/${r.id}`)).body.state;
  }
  expect(state).toBe('completed');
  expect(kills).toBeGreaterThan(3);
  console.log(`rollout completed after ${kills} kill -9`);

  const after = (await api('GET', '/api/v1/sites?limit=1000')).body.items;
  for (const site of after)
    expect(site.pinnedVersion, site.key).toBe(targets.has(site.key) ? 'v2' : before.get(site.key));
  // Each planned site was changed exactly once, whatever moment the process died at.
  for (const site of targets) {
    const history = await api('GET', `/api/v1/sites/${site}/pin-history`);
    const byRollout = history.body.items.filter((e: any) => e.rolloutId === r.id);
    expect(byRollout, site).toHaveLength(1);
  }
  const stages = await api('GET', `/api/v1/audit?rollout=${r.id}&action=rollout.stage_applied`);
  expect(stages.body.items).toHaveLength(6);
}, 180_000);
