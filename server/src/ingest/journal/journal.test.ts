// The journal: every accepted import is written before the 202, processed later in journal order
// per site, exactly once, and refusals write nothing.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';
import { eventually } from '../../../test/http.ts';
import { startIngestion } from '../../../test/ingestion.ts';
import type { TestIngestion } from '../../../test/ingestion.ts';
import { catalogOf, feedFor, untilPinned } from '../../../test/ingest-fixtures.ts';

let cp: TestControlPlane;
let ingest: TestIngestion;
const sites = ['j-1', 'j-2', 'j-3', 'j-4', 'j-5', 'j-held', 'j-keys'];

beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites(sites.map((key) => ({ key })));
  ingest = await startIngestion({
    controlPlaneUrl: cp.url,
    startWorkers: false,
    env: { INGEST_MAX_FEED_BYTES: '1000000', INGEST_WORKERS: '4' },
  });
  await untilPinned(ingest, sites);
});
afterAll(async () => {
  await ingest?.close();
  await cp?.close();
});

describe('accepting an import', () => {
  it('journals the feed as received before answering 202, and processes it afterwards', async () => {
    const text = JSON.stringify(feedFor('j-1', 1));
    const res = await ingest.post('j-1', undefined, {
      raw: text,
      headers: { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': 'j1-a' },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      importId: expect.any(String),
      siteId: 'j-1',
      state: 'queued',
      position: expect.any(Number),
    });
    expect(res.headers.get('location')).toBe(`/ingest/v1/imports/${res.body.importId}`);

    // The workers are stopped: what the 202 promised is in the journal, and nothing else happened.
    const row = await ingest.db.ingestImport.findUniqueOrThrow({
      where: { id: res.body.importId },
    });
    expect(row).toMatchObject({
      siteKey: 'j-1',
      state: 'queued',
      payload: text,
      contentType: 'application/json',
      contentHash: createHash('sha256').update(text).digest('hex'),
      idempotencyKey: 'j1-a',
      version: null,
      processedAt: null,
      reportedAt: null,
    });
    expect(Number(row.seq)).toBe(res.body.position);
    expect(Date.now() - row.receivedAt.getTime()).toBeLessThan(10_000);
    const queued = await ingest.call('GET', res.headers.get('location')!);
    expect(queued.body).toMatchObject({ id: res.body.importId, state: 'queued', version: null });
    expect((await ingest.call('GET', '/ingest/v1/journal')).body.queued).toBe(1);
    expect((await ingest.call('GET', '/ingest/v1/sites/j-1/products')).body.count).toBe(0);

    ingest.ingestion.workers.start();
    const done = await ingest.processed(res.body.importId);
    const expected = catalogOf(feedFor('j-1', 1), 'v1');
    expect(done).toMatchObject({
      id: res.body.importId,
      siteId: 'j-1',
      position: res.body.position,
      state: 'done',
      version: 'v1',
      received: feedFor('j-1', 1).length,
      imported: expected.length,
      failed: false,
    });
    expect(done.processedAt).toBeTruthy();
    expect((await ingest.call('GET', '/ingest/v1/sites/j-1/products')).body.count).toBe(
      expected.length,
    );
    // The report goes out only once the import is processed.
    await eventually(async () =>
      (await ingest.call('GET', `/ingest/v1/imports/${res.body.importId}`)).body.reportedAt
        ? true
        : undefined,
    );
  });

  it('refuses oversize, malformed and mistyped feeds without journaling anything', async () => {
    const before = await ingest.db.ingestImport.count();
    const big = JSON.stringify(
      Array.from({ length: 12_000 }, (_, i) => ({ sku: `B-${i}`, name: 'x'.repeat(80), price: 1 })),
    );
    const oversize = await ingest.post('j-2', undefined, {
      raw: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(oversize.status).toBe(413);
    const tooMany = await ingest.post('j-2', undefined, {
      raw: `[${'0,'.repeat(200_000)}0]`,
      headers: { 'content-type': 'application/json' },
    });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.code).toBe('feed_too_large');
    const malformed = await ingest.post('j-2', undefined, {
      raw: '[{"sku": "a",',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.body.code).toBe('invalid_json');
    const badCsv = await ingest.post('j-2', undefined, {
      raw: 'sku,name\n"unterminated,x\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(badCsv.status).toBe(400);
    const xml = await ingest.post('j-2', undefined, {
      raw: '<products/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    const longKey = await ingest.post('j-2', [], {
      headers: { 'idempotency-key': 'k'.repeat(201) },
    });
    expect(longKey.status).toBe(400);
    expect(await ingest.db.ingestImport.count()).toBe(before);
  });
});

describe('idempotency keys', () => {
  it('return the same import for the same key and process it once', async () => {
    const feed = feedFor('j-keys', 1);
    const first = await ingest.post('j-keys', feed, { headers: { 'idempotency-key': 'once' } });
    const again = await ingest.post('j-keys', feed, { headers: { 'idempotency-key': 'once' } });
    expect(first.status).toBe(202);
    expect([200, 202]).toContain(again.status);
    expect(again.body.importId).toBe(first.body.importId);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    await ingest.processed(first.body.importId);
    const later = await ingest.post('j-keys', feed, { headers: { 'idempotency-key': 'once' } });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ importId: first.body.importId, state: 'done' });

    const reused = await ingest.post('j-keys', feedFor('j-keys', 2), {
      headers: { 'idempotency-key': 'once' },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    // The same key for another site is another import.
    const elsewhere = await ingest.post('j-5', feed, { headers: { 'idempotency-key': 'once' } });
    expect(elsewhere.status).toBe(202);
    expect(elsewhere.body.importId).not.toBe(first.body.importId);
  });

  it('give one import to concurrent duplicates, processed once', async () => {
    const feed = feedFor('j-keys', 3);
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        ingest.post('j-keys', feed, { headers: { 'idempotency-key': 'burst' } }),
      ),
    );
    const ids = new Set(replies.map((r) => r.body.importId));
    expect(ids.size).toBe(1);
    expect(replies.filter((r) => r.status === 202)).toHaveLength(1);
    expect(replies.every((r) => r.status === 202 || r.status === 200)).toBe(true);
    const [id] = [...ids];
    const done = await ingest.processed(id!);
    expect(done.state).toBe('done');
    expect(
      await ingest.db.ingestImport.count({ where: { siteKey: 'j-keys', idempotencyKey: 'burst' } }),
    ).toBe(1);
    // Processed once: one catalog change, so one export record for its position.
    expect(
      await ingest.db.ingestExport.count({
        where: { siteKey: 'j-keys', catalogSeq: BigInt(done.position) },
      }),
    ).toBe(1);
  });
});

describe('the OpenAPI document', () => {
  it('describes posting a feed, and tells import jobs to send an Idempotency-Key', async () => {
    const { status, body } = await ingest.call('GET', '/ingest/openapi.json');
    expect(status).toBe(200);
    const post = body.paths['/ingest/v1/sites/{siteId}/imports'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['application/json', 'text/csv']);
    expect(post.parameters).toContainEqual(
      expect.objectContaining({ in: 'header', name: 'idempotency-key' }),
    );
    expect(post.description).toMatch(
      /Idempotency-Key.*retry.*instead of importing the feed twice/s,
    );
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['200', '202', '400', '409', '413', '415', '422']),
    );
    expect(body.paths['/ingest/v1/imports/{id}'].get).toBeDefined();
  });
});

describe('a paused site', () => {
  it('queues its imports and processes them in order once resumed', async () => {
    await cp.api('POST', '/api/v1/sites/j-held/pause', { body: { reason: 'incident' } });
    await eventually(async () =>
      (await ingest.call('GET', '/ingest/v1/pins/j-held')).body.paused ? true : undefined,
    );
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const res = await ingest.post('j-held', feedFor('j-held', n));
      expect(res.status).toBe(202);
      expect(res.body.state).toBe('queued');
      ids.push(res.body.importId);
    }
    // Well past the workers' safety-net timer: still queued, catalog untouched.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const id of ids)
      expect((await ingest.call('GET', `/ingest/v1/imports/${id}`)).body.state).toBe('queued');
    expect((await ingest.call('GET', '/ingest/v1/sites/j-held/products')).body.count).toBe(0);

    await cp.api('POST', '/api/v1/sites/j-held/resume', { body: { reason: 'over' } });
    const done = [];
    for (const id of ids) done.push(await ingest.processed(id));
    expect(done.map((d) => d.state)).toEqual(['done', 'done', 'done']);
    const processedAt = done.map((d) => Date.parse(d.processedAt));
    expect([...processedAt].sort((a, b) => a - b)).toEqual(processedAt);
    const catalog = (await ingest.call('GET', '/ingest/v1/sites/j-held/products?limit=10000')).body;
    expect(catalog.products.map((p: { sku: string }) => p.sku)).toEqual(
      catalogOf(feedFor('j-held', 3), 'v1').map((p) => p.sku),
    );
  });
});

describe('many imports for a few sites at once', () => {
  it('processes each site in journal order: every catalog is its last feed', async () => {
    const targets = ['j-1', 'j-2', 'j-3', 'j-4', 'j-5'];
    const posts = targets.flatMap((site) =>
      Array.from({ length: 12 }, (_, n) => ({ site, n: 10 + n })),
    );
    // Shuffled and all at once: the journal order, not the order of answers, is what counts.
    posts.sort(() => Math.random() - 0.5);
    const replies = await Promise.all(posts.map((p) => ingest.post(p.site, feedFor(p.site, p.n))));
    expect(replies.every((r) => r.status === 202)).toBe(true);
    await Promise.all(replies.map((r) => ingest.processed(r.body.importId, 60_000)));

    for (const site of targets) {
      const entries = await ingest.db.ingestImport.findMany({
        where: { siteKey: site },
        orderBy: { seq: 'asc' },
        select: { seq: true, payload: true, processedAt: true, state: true },
      });
      expect(entries.every((e) => e.state === 'done')).toBe(true);
      const times = entries.map((e) => e.processedAt!.getTime());
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      const last = JSON.parse(entries.at(-1)!.payload!);
      const catalog = (await ingest.call('GET', `/ingest/v1/sites/${site}/products?limit=10000`))
        .body;
      expect(catalog.products.map((p: { sku: string; name: string }) => [p.sku, p.name])).toEqual(
        catalogOf(last, 'v1').map((p) => [p.sku, p.name]),
      );
      const state = await ingest.db.ingestSite.findUniqueOrThrow({ where: { siteKey: site } });
      expect(state.lastSeq).toBe(entries.at(-1)!.seq);
    }
  }, 90_000);
});
