import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';
import { allRoutes } from '../../routes.ts';
import type { Services } from '../../services.ts';

// What each route must require. Written out here rather than read from the routes, so that a
// route whose declared permission is loosened by mistake fails this test.
const required: Record<string, string> = {
  'GET /api/v1/me': 'viewer',
  'GET /api/v1/tokens': 'admin',
  'POST /api/v1/tokens': 'admin',
  'DELETE /api/v1/tokens/:id': 'admin',
  'POST /api/v1/auth/introspect': 'ingest',
  'GET /api/v1/sites': 'viewer',
  'POST /api/v1/sites': 'release',
  'POST /api/v1/sites/import': 'release',
  'POST /api/v1/sites/pause': 'operator',
  'POST /api/v1/sites/resume': 'operator',
  'GET /api/v1/sites/:key': 'viewer',
  'POST /api/v1/sites/:key/pause': 'operator',
  'POST /api/v1/sites/:key/resume': 'operator',
  'PUT /api/v1/sites/:key/pin': 'release',
  'GET /api/v1/sites/:key/pin-history': 'viewer',
  'GET /api/v1/versions': 'viewer',
  'PATCH /api/v1/versions/:name': 'admin',
  'POST /api/v1/import-reports': 'ingest',
  'POST /api/v1/import-reports/batch': 'ingest',
  'GET /api/v1/sites/:key/imports': 'viewer',
  'POST /api/v1/sensors/heartbeat': 'ingest',
  'GET /api/v1/sensors': 'viewer',
  'POST /api/v1/cohorts/preview': 'viewer',
  'POST /api/v1/cohorts': 'release',
  'GET /api/v1/cohorts': 'viewer',
  'GET /api/v1/cohorts/:id': 'viewer',
  'POST /api/v1/rollouts': 'release',
  'GET /api/v1/rollouts': 'viewer',
  'GET /api/v1/rollouts/:id': 'viewer',
  'GET /api/v1/rollouts/:id/targets': 'viewer',
  'POST /api/v1/rollouts/:id/approve': 'release',
  'POST /api/v1/rollouts/:id/start': 'release',
  'POST /api/v1/rollouts/:id/pause': 'operator',
  'POST /api/v1/rollouts/:id/resume': 'release',
  'POST /api/v1/rollouts/:id/halt': 'operator',
  'POST /api/v1/rollouts/:id/abort': 'release',
  'POST /api/v1/rollouts/:id/advance': 'release',
  'POST /api/v1/rollouts/:id/revert': 'operator',
  'GET /api/v1/rollouts/:id/analysis': 'viewer',
  'GET /api/v1/notifications': 'viewer',
  'POST /api/v1/rollouts/:id/repair': 'operator',
  'GET /api/v1/repairs/:id': 'viewer',
  'POST /api/v1/repairs/claim': 'ingest',
  'POST /api/v1/repairs/progress': 'ingest',
  'GET /api/v1/freeze-windows': 'viewer',
  'POST /api/v1/freeze-windows': 'admin',
  'DELETE /api/v1/freeze-windows/:id': 'admin',
  'GET /api/v1/audit': 'viewer',
  'GET /api/client/features': 'client',
  'POST /api/client/register': 'client',
  'POST /api/client/metrics': 'client',
  'GET /api/v1/client-instances': 'viewer',
};

const roles = ['viewer', 'operator', 'release', 'admin', 'client', 'ingest', 'import'] as const;
const staff = ['viewer', 'operator', 'release', 'admin'];
const allowedRoles = (need: string) =>
  need === 'client'
    ? ['client', 'ingest']
    : need === 'ingest'
      ? ['ingest']
      : staff.slice(staff.indexOf(need));

const routes = allRoutes({} as Services).map((r) => ({
  ...r,
  id: `${r.method.toUpperCase()} ${r.path}`,
}));

let cp: TestControlPlane;
const secrets: Record<string, string> = {};
beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([{ key: 'role-site' }]);
  for (const role of roles) secrets[role] = await cp.tokenFor(role, `role-${role}`);
});
afterAll(() => cp.close());

const concrete = (path: string) =>
  path
    .replace(':key', 'role-site')
    .replace(':name', 'v1')
    .replace(':id', path.includes('/tokens/') ? '00000000-0000-4000-8000-000000000000' : '999');

describe('every route checks its role', () => {
  it('declares the permission this test expects, for every route', () => {
    expect(Object.fromEntries(routes.map((r) => [r.id, r.permission]))).toEqual(required);
  });

  for (const r of routes) {
    it(`${r.id}: refuses other roles with 403 and no token with 401`, async () => {
      const allowed = allowedRoles(required[r.id]!);
      const call = (token: string | null) =>
        cp.api(r.method.toUpperCase(), concrete(r.path), {
          token,
          body: r.method === 'get' ? undefined : {},
        });
      expect((await call(null)).status).toBe(401);
      expect((await call('not-a-real-token-at-all')).status).toBe(401);
      for (const role of roles) {
        const res = await call(secrets[role]!);
        if (allowed.includes(role))
          expect([401, 403], `${role} should be allowed`).not.toContain(res.status);
        else {
          expect(res.status, `${role} should be refused`).toBe(403);
          expect(res.body.message).toContain(`role '${role}'`);
        }
      }
    });
  }

  it('stops accepting a revoked token', async () => {
    const created = await cp.api('POST', '/api/v1/tokens', {
      body: { name: 'short-lived', role: 'viewer' },
    });
    const { secret, token } = created.body;
    expect((await cp.api('GET', '/api/v1/me', { token: secret })).status).toBe(200);
    expect((await cp.api('DELETE', `/api/v1/tokens/${token.id}`)).status).toBe(204);
    expect((await cp.api('GET', '/api/v1/me', { token: secret })).status).toBe(401);
  });

  it('stores only a hash of each token', async () => {
    const rows = await cp.db.apiToken.findMany();
    for (const secret of Object.values(secrets)) {
      expect(JSON.stringify(rows)).not.toContain(secret);
    }
  });
});
