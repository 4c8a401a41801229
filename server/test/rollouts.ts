import { manualClock } from '../src/lib/clock.ts';
import { demoSites } from '../src/demo/demo-fleet.ts';
import { startControlPlane } from './control-plane.ts';
import type { TestControlPlane } from './control-plane.ts';

/**
 * A control plane with the demo fleet, a clock that moves only when told, and the engine loop
 * off: tests take engine steps themselves.
 */
export async function startRolloutPlane(env: Record<string, string> = {}) {
  const clock = manualClock();
  const cp = await startControlPlane({ clock, env: { PINION_ENGINE: 'off', ...env } });
  await cp.createSites(demoSites(200));
  return { cp, clock, engine: cp.plane.services.engine };
}

export const highLoad = demoSites(200)
  .filter((s) => s.labels.load === 'high')
  .map((s) => s.key);

export async function plan(cp: TestControlPlane, body: object, token?: string) {
  return cp.api('POST', '/api/v1/rollouts', {
    // Mechanics tests: no import traffic here, so canary analysis (which never passes without
    // data) is off unless a test turns it on.
    body: {
      bake: { minBakeSeconds: 60, minImportsPerSite: 0 },
      checks: { enabled: false },
      ...body,
    },
    ...(token ? { token } : {}),
  });
}

export async function planOk(cp: TestControlPlane, body: object) {
  const res = await plan(cp, body);
  if (res.status !== 201) throw new Error(`plan failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function start(
  cp: TestControlPlane,
  rollout: { id: number; targetCount: number; fingerprint: string },
) {
  const res = await cp.api('POST', `/api/v1/rollouts/${rollout.id}/start`, {
    body: { confirm: { count: rollout.targetCount, fingerprint: rollout.fingerprint } },
  });
  if (res.status !== 200)
    throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Pins of all sites, from the API. */
export async function pins(cp: TestControlPlane): Promise<Map<string, string>> {
  const res = await cp.api('GET', '/api/v1/sites?limit=1000');
  return new Map(
    res.body.items.map((s: { key: string; pinnedVersion: string }) => [s.key, s.pinnedVersion]),
  );
}
