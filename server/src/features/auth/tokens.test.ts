// Import tokens, site selectors and the introspection the ingestion API relies on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';

let cp: TestControlPlane;
const introspect = (body: unknown) =>
  cp.api('POST', '/api/v1/auth/introspect', { token: initialTokens.ingest, body });

beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([
    { key: 'tk-us-1', labels: { region: 'us' } },
    { key: 'tk-eu-1', labels: { region: 'eu' } },
  ]);
});
afterAll(() => cp.close());

describe('import tokens limited to sites', () => {
  it('creates an import token with a site selector, shown in the list and the audit trail', async () => {
    const res = await cp.api('POST', '/api/v1/tokens', {
      body: { name: 'us-importer', role: 'import', siteSelector: 'region=us' },
    });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatchObject({ role: 'import', siteSelector: 'region=us' });
    const listed = (await cp.api('GET', '/api/v1/tokens')).body.items;
    expect(listed.find((t: { id: string }) => t.id === res.body.token.id).siteSelector).toBe(
      'region=us',
    );
    const audit = await cp.db.auditEvent.findFirst({ where: { subjectId: res.body.token.id } });
    expect(audit?.after).toMatchObject({ role: 'import', siteSelector: 'region=us' });
  });

  it('refuses a selector on any other role, naming the field, and creates nothing', async () => {
    const before = await cp.db.apiToken.count();
    for (const role of ['viewer', 'admin', 'client', 'ingest']) {
      const res = await cp.api('POST', '/api/v1/tokens', {
        body: { name: `bad-${role}`, role, siteSelector: 'region=us' },
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        {
          path: 'body.siteSelector',
          message: `only 'import' tokens can be limited to sites; this token's role is '${role}'`,
        },
      ]);
    }
    expect(await cp.db.apiToken.count()).toBe(before);
  });

  it('refuses a selector that does not parse, saying where', async () => {
    const res = await cp.api('POST', '/api/v1/tokens', {
      body: { name: 'typo', role: 'import', siteSelector: 'region in (us' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^body\.siteSelector: .* at position \d+$/);
  });

  it('gives an import token no rights on the staff API', async () => {
    const secret = await cp.tokenFor('import');
    const res = await cp.api('GET', '/api/v1/sites', { token: secret });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain("role 'import'");
  });
});

describe('POST /api/v1/auth/introspect', () => {
  it('describes a live token, and whether its selector admits a site', async () => {
    const created = await cp.api('POST', '/api/v1/tokens', {
      body: { name: 'us-job', owner: 'platform', role: 'import', siteSelector: 'region=us' },
    });
    const token = created.body.secret;
    const describe = { active: true, role: 'import', name: 'us-job', owner: 'platform' };
    const res = await introspect({ token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...describe, siteSelector: 'region=us' });
    expect((await introspect({ token, siteKey: 'tk-us-1' })).body.siteAllowed).toBe(true);
    expect((await introspect({ token, siteKey: 'tk-eu-1' })).body.siteAllowed).toBe(false);
    expect((await introspect({ token, siteKey: 'tk-nowhere' })).body.siteAllowed).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain(token);
  });

  it('admits every site for a token without a selector', async () => {
    const res = await introspect({ token: initialTokens.import, siteKey: 'tk-eu-1' });
    expect(res.body).toEqual({
      active: true,
      role: 'import',
      name: 'initial-import',
      owner: 'initial-import',
      siteSelector: null,
      siteAllowed: true,
    });
  });

  it('says only "inactive" for an unknown or revoked token', async () => {
    expect((await introspect({ token: 'pn_never-issued-token-0000' })).body).toEqual({
      active: false,
    });
    const created = await cp.api('POST', '/api/v1/tokens', {
      body: { name: 'soon-gone', role: 'import' },
    });
    expect((await introspect({ token: created.body.secret })).body.active).toBe(true);
    await cp.api('DELETE', `/api/v1/tokens/${created.body.token.id}`);
    expect((await introspect({ token: created.body.secret })).body).toEqual({ active: false });
  });

  it('refuses a malformed site key with a 400 naming it', async () => {
    const res = await introspect({ token: initialTokens.import, siteKey: 'no spaces' });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('body.siteKey');
  });
});

describe('the Authorization header', () => {
  it('accepts the bearer scheme in any case', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const res = await cp.api('GET', '/api/v1/me', {
        headers: { authorization: `${scheme} ${initialTokens.admin}` },
      });
      expect(res.status, scheme).toBe(200);
    }
  });
});
