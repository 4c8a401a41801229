// The SDKs' read path never touches the database: with every database connection held by
// someone else (a bulk import, a long transaction), health checks, polls for the current
// revision, a new SDK's first poll and its sign-of-life calls are all answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([{ key: 'read-a' }, { key: 'read-b', version: 'v2' }]);
});
afterAll(() => cp.close());

const call = (
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) =>
  // Bounded, so that a request stuck behind the held database fails the test with its name.
  fetch(`${cp.url}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });

describe('the read path while every database connection is taken', () => {
  it('answers health checks, polls, first polls and sign-of-life calls', async () => {
    const sdk = { authorization: initialTokens.client };
    const first = await call('/api/client/features', { headers: sdk });
    const etag = first.headers.get('etag')!;

    const pool = cp.database.pool;
    const held = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
    try {
      expect((await call('/healthz')).status).toBe(200);
      const poll = await call('/api/client/features', {
        headers: {
          ...sdk,
          'if-none-match': etag,
          'unleash-appname': 'api',
          'unleash-instanceid': 'pod-1',
        },
      });
      expect(poll.status).toBe(304);
      const fresh = await call('/api/client/features', { headers: sdk });
      expect(fresh.status).toBe(200);
      expect(((await fresh.json()) as { features: unknown[] }).features).toHaveLength(2);
      const identity = JSON.stringify({ appName: 'api', instanceId: 'pod-2' });
      for (const path of ['/api/client/register', '/api/client/metrics']) {
        const res = await call(path, {
          method: 'POST',
          headers: { ...sdk, 'content-type': 'application/json' },
          body: identity,
        });
        expect(res.status).toBe(202);
      }
    } finally {
      for (const client of held) client.release();
    }
    // What the polls said is recorded once the database is free again.
    const instances = await cp.api('GET', '/api/v1/client-instances');
    expect(instances.body.items.map((i: { instanceId: string }) => i.instanceId).sort()).toEqual([
      'pod-1',
      'pod-2',
    ]);
  });
});
