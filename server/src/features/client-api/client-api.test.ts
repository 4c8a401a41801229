import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';
import { eventually } from '../../../test/http.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([
    { key: 'site-b', version: 'v2' },
    { key: 'site-a', version: 'v2' },
    { key: 'site-c' },
    { key: 'site-d', version: 'v3' },
  ]);
});
afterAll(() => cp.close());

const client = (headers: Record<string, string> = {}) =>
  cp.api('GET', '/api/client/features', {
    token: null,
    headers: { authorization: initialTokens.client, ...headers },
  });

type Strategy = { parameters: { siteIds: string }; variants: { payload: { value: string } }[] };

describe('GET /api/client/features', () => {
  it('serves each version as one siteIds strategy, in version order, with the version as payload', async () => {
    const res = await client();
    expect(res.status).toBe(200);
    const [versionFlag, pausedFlag] = res.body.features;
    expect(versionFlag.name).toBe('platform-api-version');
    expect(
      versionFlag.strategies.map((s: Strategy) => [
        s.variants[0]!.payload.value,
        s.parameters.siteIds,
      ]),
    ).toEqual([
      ['v1', 'site-c'],
      ['v2', 'site-a,site-b'],
      ['v3', 'site-d'],
    ]);
    expect(pausedFlag).toMatchObject({ name: 'platform-api-paused', enabled: false });
  });

  it('answers 304 for the current ETag and a new ETag after a pin change', async () => {
    const first = await client();
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"\d+"$/);
    const again = await client({ 'if-none-match': etag });
    expect(again.status).toBe(304);

    await cp.setPin('site-c', 'v2');
    const changed = await client({ 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(BigInt(JSON.parse(changed.headers.get('etag')!))).toBeGreaterThan(
      BigInt(JSON.parse(etag)),
    );
    const v2 = changed.body.features[0].strategies.find(
      (s: Strategy) => s.variants[0]!.payload.value === 'v2',
    );
    expect(v2.parameters.siteIds).toBe('site-a,site-b,site-c');
  });

  it('lists paused sites and enables the paused flag only when there are some', async () => {
    await cp.api('POST', '/api/v1/sites/site-a/pause', { body: { reason: 'incident' } });
    const res = await client();
    expect(res.body.features[1]).toMatchObject({
      enabled: true,
      strategies: [{ name: 'siteIds', parameters: { siteIds: 'site-a' } }],
    });
    await cp.api('POST', '/api/v1/sites/site-a/resume', { body: { reason: 'fixed' } });
    expect((await client()).body.features[1].enabled).toBe(false);
  });

  it('serializes and compresses the payload once per revision', async () => {
    const features = cp.plane.services.features;
    const one = await features.get();
    expect(await features.get()).toBe(one);
    await cp.setPin('site-d', 'v1');
    const two = await features.get();
    expect(two).not.toBe(one);
    expect(two.revision).toBeGreaterThan(one.revision);
  });

  it('sends gzip to clients that accept it', async () => {
    const res = await fetch(`${cp.url}/api/client/features`, {
      headers: { authorization: initialTokens.client, 'accept-encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(((await res.json()) as { features: unknown[] }).features).toHaveLength(2);
  });
});

describe('SDK instances', () => {
  it('records each instance and the revision it holds, from polls, register and metrics', async () => {
    const headers = {
      'unleash-appname': 'platform-api',
      'unleash-instanceid': 'pod-7',
      'unleash-sdk': 'unleash-node-sdk:6',
    };
    const first = await client(headers);
    const held = JSON.parse(first.headers.get('etag')!);
    await cp.api('POST', '/api/client/register', {
      token: null,
      headers: { authorization: initialTokens.client },
      body: {
        appName: 'platform-api',
        instanceId: 'pod-8',
        sdkVersion: 'unleash-node-sdk:6',
        strategies: ['siteIds'],
        started: new Date().toISOString(),
        interval: 1000,
      },
    });
    const instances = await cp.api('GET', '/api/v1/client-instances');
    expect(instances.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          instanceId: 'pod-7',
          lastRevision: String(held),
          upToDate: true,
        }),
        expect.objectContaining({
          instanceId: 'pod-8',
          sdkVersion: 'unleash-node-sdk:6',
          lastRevision: null,
        }),
      ]),
    );

    await cp.setPin('site-b', 'v3');
    const behind = await cp.api('GET', '/api/v1/client-instances');
    expect(
      behind.body.items.find((i: { instanceId: string }) => i.instanceId === 'pod-7').upToDate,
    ).toBe(false);
    await client({ ...headers, 'if-none-match': first.headers.get('etag')! });
    await eventually(async () => {
      const now = await cp.api('GET', '/api/v1/client-instances');
      return (
        now.body.items.find(
          (i: { instanceId: string; upToDate: boolean }) => i.instanceId === 'pod-7',
        ).upToDate || undefined
      );
    });
  });

  it('refuses a register body without identity', async () => {
    const res = await cp.api('POST', '/api/client/register', {
      token: null,
      headers: { authorization: initialTokens.client },
      body: { appName: 'x' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('body.instanceId');
  });
});
