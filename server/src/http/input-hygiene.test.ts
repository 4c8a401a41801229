// Input PostgreSQL cannot take (U+0000, lone surrogates, integers past a column's range, absurd
// nesting) is refused at the door with a 400 naming the field, and changes nothing; the SDK
// instance recorder never loses good sightings because of a bad one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../../test/control-plane.ts';
import type { TestControlPlane } from '../../test/control-plane.ts';
import { startIngestion } from '../../test/ingestion.ts';
import type { TestIngestion } from '../../test/ingestion.ts';

let cp: TestControlPlane;
let ingestion: TestIngestion;

beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([{ key: 'clean-site' }]);
  ingestion = await startIngestion({ controlPlaneUrl: cp.url, startWorkers: false });
});
afterAll(async () => {
  await ingestion?.close();
  await cp?.close();
});

const asIngest = { token: initialTokens.ingest };
const counts = async () => ({
  sites: await cp.db.site.count(),
  audit: await cp.db.auditEvent.count(),
  tokens: await cp.db.apiToken.count(),
});

function expectRefused(res: { status: number; body: any }, path: string, message?: RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.code).toBe('validation_failed');
  expect(res.body.details[0].path).toBe(path);
  if (message) expect(res.body.details[0].message).toMatch(message);
}

describe('text PostgreSQL cannot store', () => {
  it.each([
    ['NUL', 'Mug\u0000s', /U\+0000/],
    ['a lone high surrogate', 'Mug\ud800s', /lone surrogate/],
    ['a lone low surrogate', '\udc00', /lone surrogate/],
  ])('refuses a site name with %s, naming the field, and creates nothing', async (_, name, msg) => {
    const before = await counts();
    const res = await cp.api('POST', '/api/v1/sites', { body: { key: 'new-site', name } });
    expectRefused(res, 'body.name', msg);
    expect(await counts()).toEqual(before);
  });

  it('accepts a name with a surrogate pair (an emoji) and other unusual text', async () => {
    const res = await cp.api('POST', '/api/v1/sites', {
      body: { key: 'emoji-site', name: 'Mugs \ud83c\udf75 \u00e9\u200b' },
    });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Mugs \ud83c\udf75 \u00e9\u200b');
  });

  it('names the element of a bulk import and the key of a label', async () => {
    const before = await counts();
    const sites = [
      { key: 'bulk-1', name: 'fine' },
      { key: 'bulk-2', name: 'fine', labels: { 'tier\u0000': 'gold' } },
    ];
    const res = await cp.api('POST', '/api/v1/sites/import', { body: { sites } });
    expectRefused(res, 'body.sites.1.labels.tier\ufffd', /^key contains U\+0000/);
    expect(await counts()).toEqual(before);
  });

  it('names the line of a CSV import', async () => {
    const before = await counts();
    const csv = 'key,name\ncsv-1,fine\ncsv-2,bad\u0000name\n';
    const res = await cp.api('POST', '/api/v1/sites/import', {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { path: 'body', line: 3, message: expect.stringContaining('U+0000') },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses NUL in a path parameter and in a query filter', async () => {
    expectRefused(await cp.api('GET', '/api/v1/sites/a%00b'), 'params.key', /U\+0000/);
    expectRefused(await cp.api('GET', '/api/v1/audit?actor=x%00y'), 'query.actor', /U\+0000/);
  });

  it('refuses a reason with a lone surrogate on a version change', async () => {
    const res = await cp.api('PATCH', '/api/v1/versions/v2', {
      body: { status: 'deprecated', reason: 'because \ud800' },
    });
    expectRefused(res, 'body.reason', /lone surrogate/);
    const versions = await cp.api('GET', '/api/v1/versions');
    expect(versions.body.items.find((v: any) => v.name === 'v2').status).toBe('active');
  });

  it('refuses JSON nested absurdly deep', async () => {
    const details = `${'{"d":'.repeat(20_000)}"leaf"${'}'.repeat(20_000)}`;
    const raw = `{"updates":[{"repairId":1,"siteKey":"clean-site","state":"done","details":${details}}]}`;
    const res = await cp.api('POST', '/api/v1/repairs/progress', {
      ...asIngest,
      raw,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^body\.updates\.0\.details(\.d)+: is nested deeper than 64/);
  });
});

describe('numbers past the columns they reach', () => {
  it.each([
    '/api/v1/rollouts/2147483648',
    '/api/v1/rollouts/r-99999999999',
    '/api/v1/rollouts/0',
    '/api/v1/rollouts/2147483648/targets',
    '/api/v1/rollouts/2147483648/analysis',
    '/api/v1/cohorts/2147483648',
    '/api/v1/cohorts/-1',
    '/api/v1/cohorts/1.5',
    '/api/v1/cohorts/abc',
    '/api/v1/repairs/2147483648',
  ])('GET %s answers 400 naming params.id', async (path) => {
    const res = await cp.api('GET', path);
    expectRefused(res, 'params.id');
  });

  it('keeps the largest id that fits a 404', async () => {
    expect((await cp.api('GET', '/api/v1/rollouts/2147483647')).status).toBe(404);
    expect((await cp.api('GET', '/api/v1/cohorts/2147483647')).status).toBe(404);
  });

  it.each([
    ['/api/v1/audit?rollout=2147483648', 'query.rollout'],
    ['/api/v1/audit?before=99999999999999999999', 'query.before'],
    ['/api/v1/audit?before=9223372036854775808', 'query.before'],
    ['/api/v1/audit?before=Infinity', 'query.before'],
    ['/api/v1/audit?before=%25', 'query.before'],
    ['/api/v1/audit?since=-100000-01-01', 'query.since'],
    ['/api/v1/audit?until=not-a-date', 'query.until'],
    ['/api/v1/notifications?before=9223372036854775808', 'query.before'],
    ['/api/v1/sites?offset=2147483648', 'query.offset'],
    ['/api/v1/sites?limit=abc', 'query.limit'],
    ['/api/v1/sites?limit=0', 'query.limit'],
    ['/api/v1/sites?limit=-1', 'query.limit'],
    ['/api/v1/rollouts/1/targets?stage=2147483648', 'query.stage'],
  ])('GET %s answers 400 naming %s', async (path, field) => {
    expectRefused(await cp.api('GET', path), field);
  });

  it('refuses a cohortId past int4 in a plan and in a group pause, changing nothing', async () => {
    const before = await counts();
    const plan = await cp.api('POST', '/api/v1/rollouts', {
      body: { targetVersion: 'v2', cohortId: 2 ** 31 },
    });
    expectRefused(plan, 'body.cohortId', /at most 2147483647/);
    const pause = await cp.api('POST', '/api/v1/sites/pause', {
      body: { cohortId: 2 ** 31, reason: 'test' },
    });
    expectRefused(pause, 'body.cohortId');
    expect(await counts()).toEqual(before);
  });

  it('refuses an import report whose counts do not fit', async () => {
    const res = await cp.api('POST', '/api/v1/import-reports', {
      ...asIngest,
      body: {
        importId: 'imp-big',
        siteKey: 'clean-site',
        version: 'v1',
        received: 2 ** 31,
        imported: 0,
        rejected: 0,
        durationMs: 1,
        completedAt: new Date().toISOString(),
      },
    });
    expectRefused(res, 'body.received');
    expect(await cp.db.importReport.count()).toBe(0);
  });
});

describe('SDK instances', () => {
  const register = (appName: string, instanceId: string) =>
    cp.api('POST', '/api/client/register', {
      token: null,
      headers: { authorization: initialTokens.client },
      body: { appName, instanceId, sdkVersion: 'unleash-client-node:6.12.1' },
    });

  it('refuses a bad register alone: the other sightings are kept and listed', async () => {
    expect((await register('shop-api', 'instance-1')).status).toBe(202);
    expectRefused(await register('shop-api\u0000', 'instance-2'), 'body.appName', /U\+0000/);
    expectRefused(await register('shop-api', 'instance-\ud800'), 'body.instanceId');
    expect((await register('shop-api', 'instance-3')).status).toBe(202);

    const res = await cp.api('GET', '/api/v1/client-instances');
    expect(res.status).toBe(200);
    const ids = res.body.items
      .filter((i: any) => i.appName === 'shop-api')
      .map((i: any) => i.instanceId);
    expect(ids.sort()).toEqual(['instance-1', 'instance-3']);
  });

  it('records every good sighting even when the database refuses one of the batch', async () => {
    const recorder = cp.plane.services.instances;
    recorder.saw({ appName: 'batch-app', instanceId: 'good-1' });
    recorder.saw({ appName: 'batch-app', instanceId: 'bad-\u0000' }); // past the door
    recorder.saw({ appName: 'batch-app', instanceId: 'good-2' });
    await recorder.flush();
    const res = await cp.api('GET', '/api/v1/client-instances');
    expect(res.status).toBe(200);
    const ids = res.body.items
      .filter((i: any) => i.appName === 'batch-app')
      .map((i: any) => i.instanceId);
    expect(ids.sort()).toEqual(['good-1', 'good-2']);
  });

  it('holds the identity headers of a poll to the register rules, naming the header', async () => {
    const res = await cp.api('GET', '/api/client/features', {
      token: null,
      headers: {
        authorization: initialTokens.client,
        'unleash-appname': 'a'.repeat(201),
        'unleash-instanceid': 'i-1',
      },
    });
    expectRefused(res, 'headers.unleash-appname');
  });
});

describe('the ingestion API', () => {
  it.each(['limit=0', 'limit=-1', 'limit=abc', 'offset=-1', 'offset=2147483648', 'limit=10001'])(
    'answers 400 naming the parameter for ?%s on every list',
    async (query) => {
      const field = `query.${query.split('=')[0]}`;
      for (const list of ['products', 'snapshots', 'exports']) {
        const res = await ingestion.call('GET', `/ingest/v1/sites/clean-site/${list}?${query}`);
        expectRefused(res, field);
      }
    },
  );

  it('answers 400 for an import id PostgreSQL cannot look up, and 404 for an unknown one', async () => {
    const nul = await ingestion.call('GET', '/ingest/v1/imports/a%00b');
    expectRefused(nul, 'importId', /U\+0000/);
    const unknown = await ingestion.call('GET', '/ingest/v1/imports/no-such-import');
    expect(unknown.status).toBe(404);
  });
});
