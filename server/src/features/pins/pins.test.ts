import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([{ key: 'p-1' }, { key: 'p-2' }, { key: 'p-3' }, { key: 'p-4' }]);
});
afterAll(() => cp.close());

const pin = (key: string, body: object) => cp.api('PUT', `/api/v1/sites/${key}/pin`, { body });

describe('setting a pin', () => {
  it('changes the pin and writes a pin event and an audit event naming actor and reason', async () => {
    const res = await pin('p-1', { version: 'v2', reason: 'ticket OPS-1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changed: true, site: { key: 'p-1', pinnedVersion: 'v2' } });

    const history = await cp.api('GET', '/api/v1/sites/p-1/pin-history');
    expect(history.body.items[0]).toMatchObject({
      fromVersion: 'v1',
      toVersion: 'v2',
      actor: 'initial-admin',
      reason: 'ticket OPS-1',
    });
    const audit = await cp.api('GET', '/api/v1/audit?site=p-1&action=pin.changed');
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        before: { version: 'v1' },
        after: { version: 'v2' },
        reason: 'ticket OPS-1',
      }),
    ]);
  });

  it('bumps the served revision with the change', async () => {
    const before = (await cp.api('GET', '/readyz')).body.revision;
    await pin('p-2', { version: 'v3', reason: 'test' });
    const after = (await cp.api('GET', '/readyz')).body.revision;
    expect(BigInt(after)).toBe(BigInt(before) + 1n);
  });

  it('is a no-op, without events, when the site already has that version', async () => {
    const events = await cp.db.pinEvent.count({ where: { siteKey: 'p-3' } });
    const res = await pin('p-3', { version: 'v1', reason: 'again' });
    expect(res.status).toBe(200);
    expect(res.body.changed).toBe(false);
    expect(await cp.db.pinEvent.count({ where: { siteKey: 'p-3' } })).toBe(events);
  });

  it('refuses with 409 when the pin is no longer the one the caller saw', async () => {
    await pin('p-4', { version: 'v2', reason: 'someone else' });
    const res = await pin('p-4', { version: 'v3', reason: 'stale view', expectedVersion: 'v1' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('pin_changed');
    expect(res.body.message).toContain("site 'p-4' is pinned to v2, not v1");
    expect((await cp.api('GET', '/api/v1/sites/p-4')).body.pinnedVersion).toBe('v2');
  });

  it('refuses unknown and retired versions, a missing reason and unknown sites, changing nothing', async () => {
    const events = await cp.db.pinEvent.count();
    const unknown = await pin('p-3', { version: 'v42', reason: 'x' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.details[0]).toMatchObject({ path: 'version' });

    await cp.api('PATCH', '/api/v1/versions/v3', {
      body: { status: 'retired', reason: 'end of life' },
    });
    const retired = await pin('p-3', { version: 'v3', reason: 'x' });
    expect(retired.status).toBe(422);
    expect(retired.body.message).toContain('retired');
    await cp.api('PATCH', '/api/v1/versions/v3', { body: { status: 'active', reason: 'back' } });

    const noReason = await pin('p-3', { version: 'v2', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details[0].path).toBe('body.reason');

    const noSite = await pin('nobody', { version: 'v2', reason: 'x' });
    expect(noSite.status).toBe(404);

    expect(await cp.db.pinEvent.count()).toBe(events);
    expect((await cp.api('GET', '/api/v1/sites/p-3')).body.pinnedVersion).toBe('v1');
  });

  it('applies concurrent changes of one site one at a time: each later one sees the earlier', async () => {
    await cp.createSites([{ key: 'race-1' }]);
    const attempts = await Promise.all(
      ['v2', 'v3', 'v2', 'v3'].map((version) =>
        pin('race-1', { version, reason: 'race', expectedVersion: 'v1' }),
      ),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const history = await cp.api('GET', '/api/v1/sites/race-1/pin-history');
    expect(history.body.items).toHaveLength(2);
  });
});

describe('versions', () => {
  it('lists versions with the default and site counts', async () => {
    const res = await cp.api('GET', '/api/v1/versions');
    expect(res.body.items.map((v: { name: string }) => v.name)).toEqual(['v1', 'v2', 'v3']);
    expect(res.body.items.find((v: { isDefault: boolean }) => v.isDefault).name).toBe('v1');
  });

  it('will not retire the default version', async () => {
    const res = await cp.api('PATCH', '/api/v1/versions/v1', {
      body: { status: 'retired', reason: 'x' },
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('make another version the default first');
  });

  it('changes the default for new sites, audited', async () => {
    const res = await cp.api('PATCH', '/api/v1/versions/v2', {
      body: { default: true, reason: 'v2 is stable' },
    });
    expect(res.status).toBe(200);
    expect(res.body.isDefault).toBe(true);
    const site = await cp.api('POST', '/api/v1/sites', {
      body: { key: 'after-default', name: 'x' },
    });
    expect(site.body.pinnedVersion).toBe('v2');
    const audit = await cp.api('GET', '/api/v1/audit?action=fleet.default_version_changed');
    expect(audit.body.items[0]).toMatchObject({
      before: { defaultVersion: 'v1' },
      after: { defaultVersion: 'v2' },
    });
    await cp.api('PATCH', '/api/v1/versions/v1', { body: { default: true, reason: 'back' } });
  });
});
