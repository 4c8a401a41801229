// One import the database cannot store must cost its site that one import, and nothing more: it
// fails at its first attempt (no back-off meant for outages), its failed report carries every
// field the control plane needs, and the site's next feeds, and every other site's reports, go on.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../test/control-plane.ts';
import type { TestControlPlane } from '../../test/control-plane.ts';
import { eventually } from '../../test/http.ts';
import { feedFor, untilPinned } from '../../test/ingest-fixtures.ts';
import { startIngestion } from '../../test/ingestion.ts';
import type { TestIngestion } from '../../test/ingestion.ts';
import { pipelineFor } from './pipelines/index.ts';
import type { Pipeline } from './pipelines/product.ts';

/**
 * v1 as it is, except that it turns the name of a product whose SKU starts with "poison" into
 * text PostgreSQL refuses to store: a database that refuses something the door let through.
 */
const poisoning: Pipeline = {
  version: 'v1',
  process(items) {
    const result = pipelineFor('v1')!.process(items);
    for (const p of result.products) if (p.sku.startsWith('poison')) p.name += '\u0000';
    return result;
  },
};

let cp: TestControlPlane;
let ingest: TestIngestion;
const sites = ['px-1', 'px-2', 'px-old'];

beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites(sites.map((key) => ({ key })));
  ingest = await startIngestion({
    controlPlaneUrl: cp.url,
    pipelines: (version) => (version === 'v1' ? poisoning : pipelineFor(version)),
  });
  await untilPinned(ingest, sites, 'v1');
});
afterAll(async () => {
  await ingest?.close();
  await cp?.close();
});

/** The control plane's report of an import, once it has arrived. */
const reportOf = (siteKey: string, importId: string) =>
  eventually(async () => {
    const { body } = await cp.api('GET', `/api/v1/sites/${siteKey}/imports?limit=500`);
    return body.items.find((r: { importId: string }) => r.importId === importId);
  });

const completeFailure = {
  state: 'failed',
  failed: true,
  version: 'v1',
  received: 0,
  imported: 0,
  rejected: 0,
  errors: 0,
  durationMs: 0,
  processedAt: expect.any(Date),
};

describe('an import the database refuses to store', () => {
  it('fails at its first attempt, is reported as failed, and the next feed of its site goes on', async () => {
    const poison = await ingest.post('px-1', [{ sku: 'poison-1', name: 'Mug', price: 3 }]);
    const next = await ingest.post('px-1', feedFor('px-1', 1));
    const other = await ingest.post('px-2', feedFor('px-2', 1));
    expect([poison.status, next.status, other.status]).toEqual([202, 202, 202]);

    const failed = await ingest.processed(poison.body.importId);
    // The entry's own data, said once: not "after 5 attempts", which would have held the site.
    expect(failed.failure).toMatch(
      /^could not be processed: the database refused its data \(22P05: /,
    );
    expect(await ingest.processed(next.body.importId)).toMatchObject({ state: 'done' });
    expect(await ingest.processed(other.body.importId)).toMatchObject({ state: 'done' });
    expect(
      await ingest.db.ingestImport.findUniqueOrThrow({ where: { id: poison.body.importId } }),
    ).toMatchObject(completeFailure);

    expect(await reportOf('px-1', poison.body.importId)).toMatchObject({
      failed: true,
      received: 0,
      durationMs: 0,
      version: 'v1',
    });
    expect(await reportOf('px-1', next.body.importId)).toMatchObject({ failed: false });
    expect(await reportOf('px-2', other.body.importId)).toMatchObject({ failed: false });
  });
});

describe('a journal written by an older version', () => {
  it('reports its failed entries with complete fields and fails its poison feeds at once', async () => {
    const now = new Date();
    // As the older version left them: a poison feed still queued (it accepted `\u0000` at the
    // door), and one it gave up on with `received` and `durationMs` null, never reported.
    const queued = randomUUID();
    const givenUp = randomUUID();
    await ingest.db.$executeRaw`
      INSERT INTO ingest_imports (id, site_key, content_type, payload, state, received_at, created_at)
      VALUES (${queued}, 'px-old', 'application/json',
              ${'[{"sku":"A-1","name":"Mug \\u0000","price":3}]'}, 'queued', ${now}, ${now})`;
    await ingest.db.$executeRaw`
      INSERT INTO ingest_imports (id, site_key, content_type, payload, state, version, failed, failure,
                                  imported, rejected, processed_at, received_at, created_at)
      VALUES (${givenUp}, 'px-old', 'application/json', '[]', 'failed', 'v1', true,
              'could not be processed after 5 attempts: 22P05', 0, 0, ${now}, ${now}, ${now})`;
    const after = await ingest.post('px-old', feedFor('px-old', 1));
    expect(after.status).toBe(202);

    expect(await ingest.processed(after.body.importId)).toMatchObject({ state: 'done' });
    const poisoned = await ingest.db.ingestImport.findUniqueOrThrow({ where: { id: queued } });
    // Refused by the database, or by the feed parser should it learn to refuse NUL itself.
    expect(poisoned).toMatchObject({
      ...completeFailure,
      durationMs: expect.any(Number),
      failure: expect.any(String),
    });
    expect(poisoned.failure).not.toMatch(/attempts/);

    for (const importId of [queued, givenUp]) {
      expect(await reportOf('px-old', importId), importId).toMatchObject({
        failed: true,
        received: 0,
        imported: 0,
        durationMs: expect.any(Number),
      });
    }
    expect(await reportOf('px-old', after.body.importId)).toMatchObject({ failed: false });
  });
});
