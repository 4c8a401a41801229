import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';
import { demoSites } from '../../demo/demo-fleet.ts';
import { fingerprintOf } from './resolve.ts';
import { matches, parseSelector } from './selector.ts';

const fleet = demoSites(200);
let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites(fleet);
});
afterAll(() => cp.close());

const preview = (body: object) => cp.api('POST', '/api/v1/cohorts/preview', { body });

describe('resolving a selector', () => {
  it.each([
    'load=high',
    'tier=enterprise,region in (eu,us),!beta',
    'tier!=starter',
    'region notin (apac), beta',
    'load in (high,low),tier==business',
  ])('%s: the database picks exactly the sites the grammar says', async (selector) => {
    const expected = fleet
      .filter((s) => matches(parseSelector(selector), s.labels))
      .map((s) => s.key)
      .sort();
    const res = await preview({ selector });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(expected.length);
    expect(res.body.fingerprint).toBe(fingerprintOf(expected));
    expect(expected).toEqual(expect.arrayContaining(res.body.sample));
  });

  it('adds explicit site keys to what the selector matches', async () => {
    const res = await preview({ selector: 'load=high', siteKeys: ['s-001', 's-010'] });
    const high = fleet.filter((s) => s.labels.load === 'high').map((s) => s.key);
    expect(res.body.count).toBe(new Set([...high, 's-001']).size);
  });

  it('names unknown sites and the position of a selector mistake', async () => {
    const unknown = await preview({ siteKeys: ['s-001', 'nope-1'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('siteKeys: unknown site(s) nope-1');
    const bad = await preview({ selector: 'tier in (gold' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('at position 14');
    const empty = await preview({});
    expect(empty.status).toBe(400);
  });
});

describe('saved cohorts', () => {
  it('saves a cohort and resolves it on read, audited', async () => {
    const res = await cp.api('POST', '/api/v1/cohorts', {
      body: { name: 'high-load', selector: 'load=high' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'high-load', count: 20 });
    const got = await cp.api('GET', `/api/v1/cohorts/${res.body.id}`);
    expect(got.body.fingerprint).toBe(res.body.fingerprint);
    const audit = await cp.api('GET', '/api/v1/audit?action=cohort.created');
    expect(audit.body.items[0].subjectId).toBe(String(res.body.id));
  });

  it('refuses a duplicate name and a bad selector, saving nothing', async () => {
    const before = await cp.db.cohort.count();
    expect(
      (
        await cp.api('POST', '/api/v1/cohorts', {
          body: { name: 'high-load', selector: 'load=low' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await cp.api('POST', '/api/v1/cohorts', {
          body: { name: 'broken', selector: 'load=' + '(' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await cp.api('POST', '/api/v1/cohorts', {
          body: { name: 'Bad Name', selector: 'load=low' },
        })
      ).status,
    ).toBe(400);
    expect(await cp.db.cohort.count()).toBe(before);
  });
});
