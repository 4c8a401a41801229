// A pipeline that throws must leave the site's catalog alone and still be recorded and reported:
// a failed import is exactly the data the canary analysis needs to see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../test/control-plane.ts';
import type { TestControlPlane } from '../../test/control-plane.ts';
import { eventually } from '../../test/http.ts';
import { startIngestion } from '../../test/ingestion.ts';
import { pipelineFor } from './pipelines/index.ts';
import type { Pipeline } from './pipelines/product.ts';

const broken: Pipeline = {
  version: 'v2',
  process() {
    throw new Error('normaliser crashed on product 17');
  },
};

let cp: TestControlPlane;
let ingest: Awaited<ReturnType<typeof startIngestion>>;

beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([{ key: 'pf-1' }]);
  ingest = await startIngestion({
    controlPlaneUrl: cp.url,
    pipelines: (version) => (version === 'v2' ? broken : pipelineFor(version)),
  });
  await eventually(async () =>
    (await ingest.call('GET', '/ingest/v1/pins/pf-1')).body.status === 'pinned' ? true : undefined,
  );
});
afterAll(async () => {
  await ingest.close();
  await cp.close();
});

const feed = Array.from({ length: 5 }, (_, i) => ({ sku: `F-${i}`, name: `Item ${i}`, price: i }));
const post = (body: unknown) => ingest.call('POST', '/ingest/v1/sites/pf-1/imports', { body });
const products = async () =>
  (await ingest.call('GET', '/ingest/v1/sites/pf-1/products')).body.products.map(
    (p: { sku: string }) => p.sku,
  );

describe('a pipeline that fails while processing a feed', () => {
  it('keeps the catalog, records a failed import and reports it to the control plane', async () => {
    expect((await post(feed)).status).toBe(201);
    const before = await products();
    expect(before).toHaveLength(5);

    await cp.setPin('pf-1', 'v2');
    await eventually(async () =>
      (await ingest.call('GET', '/ingest/v1/pins/pf-1')).body.version === 'v2' ? true : undefined,
    );
    const res = await post(feed.slice(0, 3));
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('pipeline_failed');
    expect(res.body.message).toContain("site 'pf-1'");
    expect(res.body.message).toContain('v2');
    expect(await products()).toEqual(before);

    const importId = res.body.details[0].message as string;
    const record = await eventually(async () => {
      const row = (await ingest.call('GET', `/ingest/v1/imports/${importId}`)).body;
      return row.reportedAt ? row : undefined;
    });
    expect(record).toMatchObject({
      siteKey: 'pf-1',
      version: 'v2',
      received: 3,
      imported: 0,
      failed: true,
      failure: 'normaliser crashed on product 17',
    });
    const reports = (await cp.api('GET', '/api/v1/sites/pf-1/imports')).body.items;
    expect(reports.map((r: { importId: string }) => r.importId)).toContain(importId);
  });

  it('keeps reporting successful imports as not failed', async () => {
    await cp.setPin('pf-1', 'v1');
    await eventually(async () =>
      (await ingest.call('GET', '/ingest/v1/pins/pf-1')).body.version === 'v1' ? true : undefined,
    );
    const res = await post(feed);
    expect(res.status).toBe(201);
    const row = (await ingest.call('GET', `/ingest/v1/imports/${res.body.importId}`)).body;
    expect(row).toMatchObject({ imported: 5, errors: 0, failed: false, failure: null });
  });
});
