import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../test/control-plane.ts';
import type { TestControlPlane } from '../../test/control-plane.ts';
import { eventually } from '../../test/http.ts';
import { startIngestion } from '../../test/ingestion.ts';
import type { TestIngestion } from '../../test/ingestion.ts';

let cp: TestControlPlane;
let ingest: TestIngestion;

beforeAll(async () => {
  // v4 exists in the control plane but no pipeline runs it here.
  cp = await startControlPlane({ env: { PINION_VERSIONS: 'v1,v2,v3,v4' } });
  await cp.createSites([{ key: 'in-1' }, { key: 'in-2' }, { key: 'in-v4', version: 'v4' }]);
  ingest = await startIngestion({ controlPlaneUrl: cp.url });
  await eventually(async () =>
    (await ingest.call('GET', '/ingest/v1/pins/in-v4')).body.status === 'pinned' ? true : undefined,
  );
});
afterAll(async () => {
  await ingest.close();
  await cp.close();
});

const productCount = async (site: string) =>
  (await ingest.call('GET', `/ingest/v1/sites/${site}/products`)).body.count;

describe('POST /ingest/v1/sites/:site/imports', () => {
  it('takes a CSV feed and replaces the catalog with it', async () => {
    const csv = 'sku,name,price,gtin,brand\nA,Mug,3.5,4006381333931,Acme\nB,Cup,2,,Acme\n';
    const res = await ingest.post('in-1', undefined, {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(202);
    expect(await ingest.processed(res.body.importId)).toMatchObject({
      state: 'done',
      version: 'v1',
      received: 2,
      imported: 2,
      rejected: 0,
    });
    const catalog = await ingest.call('GET', '/ingest/v1/sites/in-1/products');
    expect(
      catalog.body.products.map((p: { sku: string; price: string }) => [p.sku, p.price]),
    ).toEqual([
      ['A', '3.5'],
      ['B', '2'],
    ]);

    const smaller = await ingest.post('in-1', [{ sku: 'C', name: 'Plate', price: 9 }]);
    expect((await ingest.processed(smaller.body.importId)).imported).toBe(1);
    expect(await productCount('in-1')).toBe(1);
  });

  it('imports the valid products of a feed and reports the rejected ones with reasons', async () => {
    const res = await ingest.post('in-2', [
      { sku: 'ok', name: 'Fine', price: 1 },
      { sku: 'bad', name: 'No price' },
      42,
    ]);
    expect(res.status).toBe(202);
    const done = await ingest.processed(res.body.importId);
    expect(done).toMatchObject({ received: 3, imported: 1, rejected: 2 });
    expect(done.rejections).toEqual([
      { index: 1, reason: 'price must be a number from 0 to 9,999,999,999' },
      { index: 2, reason: 'not an object' },
    ]);
  });

  it('refuses malformed, mistyped and missing bodies before journaling anything', async () => {
    const journaled = await ingest.db.ingestImport.count();
    const malformed = await ingest.post('in-2', undefined, {
      raw: '[{"sku": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('invalid_json');
    const notArray = await ingest.post('in-2', { products: [] });
    expect(notArray.status).toBe(400);
    expect(notArray.body.message).toContain('JSON array');
    const mistyped = await ingest.post('in-2', undefined, { raw: 'sku=1' });
    expect(mistyped.status).toBe(415);
    expect(mistyped.body.message).toContain('text/csv');
    const missing = await ingest.post('in-2', undefined, {
      headers: { 'content-type': 'application/json' },
    });
    expect(missing.status).toBe(400);
    const badSite = await ingest.post('not a site', []);
    expect(badSite.status).toBe(400);
    expect(badSite.body.details[0].path).toBe('siteId');
    expect(await ingest.db.ingestImport.count()).toBe(journaled);
  });

  it('refuses a site pinned to a version this ingestion API does not run', async () => {
    const res = await ingest.post('in-v4', [{ sku: 'x', name: 'y', price: 1 }]);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('pipeline_missing');
    expect(res.body.message).toContain('v4');
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await ingest.db.ingestImport.count({ where: { siteKey: 'in-v4' } })).toBe(0);
  });

  it('refuses a site the control plane does not know, with Retry-After', async () => {
    const res = await ingest.post('in-nowhere', [{ sku: 'x', name: 'y', price: 1 }]);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('site_unknown');
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await ingest.db.ingestImport.count({ where: { siteKey: 'in-nowhere' } })).toBe(0);
  });
});
