// Who may use the ingestion API: tokens of the control plane, checked with it (introspection),
// remembered briefly, and trusted for a bounded time while it is down.
import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';
import { eventually } from '../../../test/http.ts';
import { feedFor, untilPinned } from '../../../test/ingest-fixtures.ts';
import { startIngestion } from '../../../test/ingestion.ts';
import type { TestIngestion } from '../../../test/ingestion.ts';
import { manualClock } from '../../lib/clock.ts';

/** Every route of the ingestion API but the health checks, with a concrete path to call. */
const routes: Record<string, string> = {
  'POST /ingest/v1/sites/:siteId/imports': '/ingest/v1/sites/au-us-1/imports',
  'GET /ingest/v1/imports/:id': '/ingest/v1/imports/00000000-0000-4000-8000-000000000000',
  'GET /ingest/v1/journal': '/ingest/v1/journal',
  'GET /ingest/v1/sites/:siteId/products': '/ingest/v1/sites/au-us-1/products',
  'GET /ingest/v1/sites/:siteId/snapshots': '/ingest/v1/sites/au-us-1/snapshots',
  'GET /ingest/v1/sites/:siteId/exports': '/ingest/v1/sites/au-us-1/exports',
  'GET /ingest/v1/pins/:siteId': '/ingest/v1/pins/au-us-1',
};
const open = ['GET /healthz', 'GET /readyz', 'GET /ingest/openapi.json'];

/** The routes the app really serves, read from express's router (the guards' own included). */
function servedRoutes(router: { stack: unknown[] }): string[] {
  type Layer = { route?: { path: string; methods: object }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]): string[] =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`)
        : layer.handle?.stack
          ? walk(layer.handle.stack)
          : [],
    );
  return walk(router.stack as Layer[]);
}

let cp: TestControlPlane;
let ingest: TestIngestion;
const secrets: Record<string, string> = {};
const journaled = (siteKey: string) => ingest.db.ingestImport.count({ where: { siteKey } });

beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([
    { key: 'au-us-1', labels: { region: 'us' } },
    { key: 'au-eu-1', labels: { region: 'eu' } },
  ]);
  for (const role of ['viewer', 'client', 'ingest', 'import'])
    secrets[role] = await cp.tokenFor(role);
  const limited = await cp.api('POST', '/api/v1/tokens', {
    body: { name: 'us-importer', role: 'import', siteSelector: 'region=us' },
  });
  secrets.usImporter = limited.body.secret;
  ingest = await startIngestion({
    controlPlaneUrl: cp.url,
    env: { INGEST_MAX_FEED_BYTES: '10000' },
  });
  await untilPinned(ingest, ['au-us-1', 'au-eu-1']);
});
afterAll(async () => {
  await ingest.close();
  await cp.close();
});

describe('authentication on the ingestion API', () => {
  it('knows every route it serves (a new route must be added here)', () => {
    const served = servedRoutes((ingest.ingestion.app as unknown as { router: Router }).router);
    expect([...new Set(served)].sort()).toEqual([...Object.keys(routes), ...open].sort());
  });

  for (const [id, path] of Object.entries(routes)) {
    const method = id.split(' ')[0]!;
    it(`${id}: 401 without a token or with an unknown one`, async () => {
      for (const token of [null, 'pn_not-a-real-token-000000']) {
        const body = method === 'POST' ? feedFor('au-us-1', 1) : undefined;
        const res = await ingest.call(method, path, { token, body });
        expect(res.status, String(token)).toBe(401);
        expect(res.body.code).toBe('unauthorized');
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    });
  }

  it('401s an unknown path too, and leaves /healthz, /readyz and the OpenAPI document open', async () => {
    expect((await ingest.call('GET', '/ingest/v1/nothing-here', { token: null })).status).toBe(401);
    expect((await ingest.call('GET', '/healthz', { token: null })).status).toBe(200);
    expect((await ingest.call('GET', '/readyz', { token: null })).status).toBe(200);
    expect((await ingest.call('GET', '/ingest/openapi.json', { token: null })).status).toBe(200);
  });

  it('refuses before reading the body: a feed over the size limit gets 401, not 413', async () => {
    const big = 'x'.repeat(20_000);
    const headers = { 'content-type': 'text/csv' };
    const anonymous = await ingest.post('au-us-1', undefined, { token: null, raw: big, headers });
    expect(anonymous.status).toBe(401);
    expect((await ingest.post('au-us-1', undefined, { raw: big, headers })).status).toBe(413);
  });

  it('accepts the bearer scheme in any case', async () => {
    const res = await ingest.call('GET', '/ingest/v1/journal', {
      headers: { authorization: `bEARER ${initialTokens.admin}` },
    });
    expect(res.status).toBe(200);
  });
});

describe('authorization on the ingestion API', () => {
  it('lets an import token post a feed and follow its import, and nothing else', async () => {
    const token = secrets.import!;
    const posted = await ingest.post('au-us-1', feedFor('au-us-1', 1), { token });
    expect(posted.status).toBe(202);
    const followed = await ingest.call('GET', `/ingest/v1/imports/${posted.body.importId}`, {
      token,
    });
    expect(followed.status).toBe(200);
    expect(followed.body.siteId).toBe('au-us-1');
    for (const [id, path] of Object.entries(routes).filter(([id]) => !id.includes('imports'))) {
      const res = await ingest.call('GET', path, { token });
      expect(res.status, id).toBe(403);
      expect(res.body.message).toMatch(
        /has role 'import'; this action needs role 'viewer' or higher$/,
      );
    }
  });

  it('lets a viewer read everything but not post', async () => {
    const token = secrets.viewer!;
    const posted = await ingest.post('au-us-1', feedFor('au-us-1', 2), { token });
    expect(posted.status).toBe(403);
    expect(posted.body.message).toMatch(/has role 'viewer'; this action needs an 'import' token$/);
    for (const [id, path] of Object.entries(routes).filter(([id]) => id.startsWith('GET'))) {
      const res = await ingest.call('GET', path, { token });
      expect([401, 403], id).not.toContain(res.status);
    }
  });

  it("refuses the control plane's service tokens (client, ingest) everywhere with 403", async () => {
    for (const role of ['client', 'ingest']) {
      for (const [id, path] of Object.entries(routes)) {
        const method = id.split(' ')[0]!;
        const body = method === 'POST' ? feedFor('au-us-1', 3) : undefined;
        const res = await ingest.call(method, path, { token: secrets[role]!, body });
        expect(res.status, `${role} ${id}`).toBe(403);
        expect(res.body.message).toContain(`has role '${role}'`);
      }
    }
    expect(await journaled('au-us-1')).toBe(1);
  });

  it('limits a selector-bound import token to the sites it matches, journaling nothing else', async () => {
    const token = secrets.usImporter!;
    expect((await ingest.post('au-us-1', feedFor('au-us-1', 4), { token })).status).toBe(202);
    const refused = await ingest.post('au-eu-1', feedFor('au-eu-1', 1), { token });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'forbidden',
      message:
        "token 'us-importer' may not write site 'au-eu-1': it is limited to sites matching 'region=us'",
      details: [{ path: 'siteId' }],
    });
    expect((await ingest.post('not a site', [], { token })).status).toBe(400);
    expect(await journaled('au-eu-1')).toBe(0);
  });

  it('refuses a revoked token within a second', async () => {
    const created = await cp.api('POST', '/api/v1/tokens', {
      body: { name: 'to-revoke', role: 'import' },
    });
    const token: string = created.body.secret;
    const posted = await ingest.post('au-us-1', feedFor('au-us-1', 5), { token });
    expect(posted.status).toBe(202);
    const follow = () =>
      ingest.call('GET', `/ingest/v1/imports/${posted.body.importId}`, { token });
    expect((await follow()).status).toBe(200);
    expect((await cp.api('DELETE', `/api/v1/tokens/${created.body.token.id}`)).status).toBe(204);
    const revokedAt = performance.now();
    await eventually(async () => ((await follow()).status === 401 ? true : undefined), 1_000, 10);
    console.log(
      `revoked token refused by the ingestion API after ${Math.round(performance.now() - revokedAt)} ms`,
    );
  });
});

describe('while the control plane is down', () => {
  const clock = manualClock();
  let plane: TestControlPlane;
  let planeUp = true;
  let held: TestIngestion;

  beforeAll(async () => {
    plane = await startControlPlane();
    await plane.createSites([{ key: 'au-out-1' }]);
    held = await startIngestion({
      controlPlaneUrl: plane.url,
      clock,
      env: { INGEST_AUTH_CACHE_MS: '500', INGEST_AUTH_GRACE_SECONDS: '300' },
    });
    await untilPinned(held, ['au-out-1']);
  });
  afterAll(async () => {
    await held.close();
    if (planeUp) await plane.close();
  });

  it('keeps accepting recently confirmed tokens for the grace period, and no others', async () => {
    const confirmed = initialTokens.import;
    const neverSeen = await plane.tokenFor('import');
    expect((await held.post('au-out-1', feedFor('au-out-1', 1), { token: confirmed })).status).toBe(
      202,
    );
    await plane.close();
    planeUp = false;

    clock.advance(10_000);
    const during = await held.post('au-out-1', feedFor('au-out-1', 2), { token: confirmed });
    expect(during.status).toBe(202);
    for (const token of [neverSeen, 'pn_made-up-token-0000000000']) {
      const refused = await held.post('au-out-1', feedFor('au-out-1', 3), { token });
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('auth_unavailable');
      expect(refused.headers.get('retry-after')).toBe('5');
    }

    clock.advance(300_000);
    const after = await held.post('au-out-1', feedFor('au-out-1', 4), { token: confirmed });
    expect(after.status).toBe(503);
    expect(await held.db.ingestImport.count({ where: { siteKey: 'au-out-1' } })).toBe(2);
  });
});
