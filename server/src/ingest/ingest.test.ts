import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../test/control-plane.ts';
import type { TestControlPlane } from '../../test/control-plane.ts';
import { eventually } from '../../test/http.ts';
import { startIngestion } from '../../test/ingestion.ts';

let cp: TestControlPlane;
let ingest: Awaited<ReturnType<typeof startIngestion>>;

beforeAll(async () => {
  // v4 exists in the control plane but no pipeline runs it here.
  cp = await startControlPlane({ env: { PINION_VERSIONS: 'v1,v2,v3,v4' } });
  await cp.createSites([
    { key: 'in-1' },
    { key: 'in-2' },
    { key: 'in-paused' },
    { key: 'in-v4', version: 'v4' },
  ]);
  await cp.api('POST', '/api/v1/sites/in-paused/pause', { body: { reason: 'held' } });
  ingest = await startIngestion({ controlPlaneUrl: cp.url });
  await eventually(async () =>
    (await ingest.call('GET', '/ingest/v1/pins/in-paused')).body.paused ? true : undefined,
  );
});
afterAll(async () => {
  await ingest.close();
  await cp.close();
});

const postJson = (site: string, body: unknown) =>
  ingest.call('POST', `/ingest/v1/sites/${site}/imports`, { body });
const productCount = async (site: string) =>
  (await ingest.call('GET', `/ingest/v1/sites/${site}/products`)).body.count;

describe('POST /ingest/v1/sites/:site/imports', () => {
  it('takes a CSV feed and replaces the catalog with it', async () => {
    const csv = 'sku,name,price,gtin,brand\nA,Mug,3.5,4006381333931,Acme\nB,Cup,2,,Acme\n';
    const res = await ingest.call('POST', '/ingest/v1/sites/in-1/imports', {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: 'v1', received: 2, imported: 2, rejected: 0 });
    const catalog = await ingest.call('GET', '/ingest/v1/sites/in-1/products');
    expect(
      catalog.body.products.map((p: { sku: string; price: string }) => [p.sku, p.price]),
    ).toEqual([
      ['A', '3.5'],
      ['B', '2'],
    ]);

    const smaller = await postJson('in-1', [{ sku: 'C', name: 'Plate', price: 9 }]);
    expect(smaller.body.imported).toBe(1);
    expect(await productCount('in-1')).toBe(1);
  });

  it('imports the valid products of a feed and reports the rejected ones with reasons', async () => {
    const res = await postJson('in-2', [
      { sku: 'ok', name: 'Fine', price: 1 },
      { sku: 'bad', name: 'No price' },
      42,
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ received: 3, imported: 1, rejected: 2 });
    expect(res.body.rejections).toEqual([
      { index: 1, reason: 'price must be a number from 0 to 9,999,999,999' },
      { index: 2, reason: 'not an object' },
    ]);
  });

  it('refuses malformed, mistyped and missing bodies before touching the catalog', async () => {
    const before = await productCount('in-2');
    const malformed = await ingest.call('POST', '/ingest/v1/sites/in-2/imports', {
      raw: '[{"sku": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('invalid_json');
    const notArray = await postJson('in-2', { products: [] });
    expect(notArray.status).toBe(400);
    expect(notArray.body.message).toContain('JSON array');
    const untyped = await ingest.call('POST', '/ingest/v1/sites/in-2/imports', { raw: 'sku=1' });
    expect(untyped.status).toBe(400);
    const badSite = await postJson('not a site', []);
    expect(badSite.status).toBe(400);
    expect(badSite.body.details[0].path).toBe('siteId');
    expect(await productCount('in-2')).toBe(before);
  });

  it('holds imports for a paused site instead of processing them', async () => {
    const res = await postJson('in-paused', [{ sku: 'x', name: 'y', price: 1 }]);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('site_paused');
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await productCount('in-paused')).toBe(0);
  });

  it('refuses a site pinned to a version this ingestion API does not run', async () => {
    const res = await postJson('in-v4', [{ sku: 'x', name: 'y', price: 1 }]);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('pipeline_missing');
    expect(res.body.message).toContain('v4');
    expect(await productCount('in-v4')).toBe(0);
  });
});
