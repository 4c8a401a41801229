import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';

let cp: TestControlPlane;
let releaseToken: string;
beforeAll(async () => {
  cp = await startControlPlane();
  releaseToken = await cp.tokenFor('release', 'alice');
  await cp.createSites([{ key: 'au-1' }, { key: 'au-2' }]);
  await cp.api('PUT', '/api/v1/sites/au-1/pin', {
    token: releaseToken,
    body: { version: 'v2', reason: 'first' },
  });
  await cp.api('PUT', '/api/v1/sites/au-1/pin', {
    token: releaseToken,
    body: { version: 'v3', reason: 'second' },
  });
  await cp.api('PUT', '/api/v1/sites/au-2/pin', { body: { version: 'v2', reason: 'by admin' } });
});
afterAll(() => cp.close());

const audit = async (query: string) => (await cp.api('GET', `/api/v1/audit?${query}`)).body;

describe('GET /api/v1/audit', () => {
  it('filters by site, actor and action, newest first', async () => {
    const bySite = await audit('site=au-1&action=pin.changed');
    expect(bySite.items.map((e: { reason: string }) => e.reason)).toEqual(['second', 'first']);
    const byActor = await audit('actor=alice');
    expect(byActor.items).toHaveLength(2);
    expect(byActor.items.every((e: { actor: string }) => e.actor === 'alice')).toBe(true);
  });

  it('filters by time and pages with `before`', async () => {
    expect((await audit(`since=${new Date(Date.now() + 60_000).toISOString()}`)).items).toEqual([]);
    const first = await audit('action=pin.changed&limit=2');
    expect(first.items).toHaveLength(2);
    const next = await audit(`action=pin.changed&limit=2&before=${first.nextBefore}`);
    expect(next.items).toHaveLength(1);
    expect(next.items[0].reason).toBe('first');
  });

  it('rejects a bad query naming the parameter', async () => {
    const res = await cp.api('GET', '/api/v1/audit?since=yesterday-ish');
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('query.since');
  });

  it('cannot be edited or deleted, even with direct database access', async () => {
    await expect(cp.db.auditEvent.updateMany({ data: { reason: 'rewritten' } })).rejects.toThrow(
      /append-only/,
    );
    await expect(cp.db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    expect((await audit('site=au-1&action=pin.changed')).items[0].reason).toBe('second');
  });
});
