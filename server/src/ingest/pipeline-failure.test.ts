// A pipeline that throws must leave the site's catalog alone and still be recorded and reported:
// a failed import is exactly the data the canary analysis needs to see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../test/control-plane.ts';
import type { TestControlPlane } from '../../test/control-plane.ts';
import { eventually } from '../../test/http.ts';
import { startIngestion } from '../../test/ingestion.ts';
import type { TestIngestion } from '../../test/ingestion.ts';
import { pipelineFor } from './pipelines/index.ts';
import type { Pipeline } from './pipelines/product.ts';

const broken: Pipeline = {
  version: 'v2',
  process() {
    throw new Error('normaliser crashed on product 17');
  },
};

let cp: TestControlPlane;
let ingest: TestIngestion;

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
const products = async () =>
  (await ingest.call('GET', '/ingest/v1/sites/pf-1/products')).body.products.map(
    (p: { sku: string }) => p.sku,
  );
const pinnedTo = (version: string) =>
  eventually(async () =>
    (await ingest.call('GET', '/ingest/v1/pins/pf-1')).body.version === version ? true : undefined,
  );

describe('a pipeline that fails while processing a feed', () => {
  it('keeps the catalog, records a failed import and reports it to the control plane', async () => {
    const first = await ingest.post('pf-1', feed);
    expect((await ingest.processed(first.body.importId)).state).toBe('done');
    const before = await products();
    expect(before).toHaveLength(5);

    await cp.setPin('pf-1', 'v2');
    await pinnedTo('v2');
    const res = await ingest.post('pf-1', feed.slice(0, 3));
    expect(res.status).toBe(202);
    const failed = await ingest.processed(res.body.importId);
    expect(failed).toMatchObject({
      siteId: 'pf-1',
      state: 'failed',
      version: 'v2',
      received: 3,
      imported: 0,
      failed: true,
      failure: 'normaliser crashed on product 17',
    });
    expect(await products()).toEqual(before);

    await eventually(async () => {
      const row = (await ingest.call('GET', `/ingest/v1/imports/${res.body.importId}`)).body;
      return row.reportedAt ? row : undefined;
    });
    const reports = (await cp.api('GET', '/api/v1/sites/pf-1/imports')).body.items;
    expect(
      reports.find((r: { importId: string }) => r.importId === res.body.importId),
    ).toMatchObject({ version: 'v2', failed: true, received: 3 });
  });

  it('keeps reporting successful imports as not failed', async () => {
    await cp.setPin('pf-1', 'v1');
    await pinnedTo('v1');
    const res = await ingest.post('pf-1', feed);
    expect(await ingest.processed(res.body.importId)).toMatchObject({
      state: 'done',
      imported: 5,
      errors: 0,
      failed: false,
      failure: null,
    });
  });
});
