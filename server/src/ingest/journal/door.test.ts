// What PostgreSQL could never store, and absurd nesting, are refused at the door: a 400 naming the
// line and the field, and nothing journaled — so no poison feed can fail five times in a worker
// and hold its site, or the import reports, hostage.
import { once } from 'node:events';
import { connect } from 'node:net';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';
import { eventually } from '../../../test/http.ts';
import { startIngestion } from '../../../test/ingestion.ts';
import type { TestIngestion } from '../../../test/ingestion.ts';
import { feedFor, untilPinned } from '../../../test/ingest-fixtures.ts';

let cp: TestControlPlane;
let ingest: TestIngestion;
const sites = ['d-poison', 'd-1', 'd-2', 'd-3', 'd-4', 'd-5'];

beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites(sites.map((key) => ({ key })));
  ingest = await startIngestion({
    controlPlaneUrl: cp.url,
    env: { INGEST_MAX_FEED_BYTES: '1000000' },
  });
  await untilPinned(ingest, sites);
});
afterAll(async () => {
  await ingest?.close();
  await cp?.close();
});

/** A feed whose third product's name is `name` (raw JSON text), one product per line. */
const withName = (name: string) =>
  [
    '[',
    '{"sku":"P-1","name":"Mug","price":1},',
    '{"sku":"P-2","name":"Cup","price":2},',
    `{"sku":"P-3","name":${name},"price":3}`,
    ']',
  ].join('\n');

const postRaw = (raw: string | Buffer, headers: Record<string, string> = {}) =>
  ingest.post('d-poison', undefined, {
    raw,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('feeds PostgreSQL cannot store', () => {
  it.each([
    ['U+0000 as the JSON escape', withName('"bad\\u0000name"'), 'contains U+0000'],
    ['a raw NUL byte', withName('"bad\u0000name"'), 'contains U+0000'],
    ['a lone surrogate escape', withName('"bad\\ud800"'), 'contains a lone surrogate (U+D800)'],
    [
      'a lone low surrogate escape',
      withName('"\\udfff bad"'),
      'contains a lone surrogate (U+DFFF)',
    ],
    [
      'a raw lone surrogate',
      Buffer.concat([
        Buffer.from(withName('"bad#"').split('#')[0]!),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from(withName('"bad#"').split('#')[1]!),
      ]),
      'is not UTF-8',
    ],
  ])('refuses %s with the line and field, journaling nothing', async (_what, raw, problem) => {
    const before = await ingest.db.ingestImport.count();
    const res = await postRaw(raw);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.message).toMatch(
      new RegExp(`^line 4, products\\[2\\]\\.name: ${esc(problem)}`),
    );
    expect(res.body.details).toEqual([
      { line: 4, path: 'products[2].name', message: expect.stringContaining(problem) },
    ]);
    expect(await ingest.db.ingestImport.count()).toBe(before);
  });

  it('refuses a NUL in a CSV cell with its line and column, journaling nothing', async () => {
    const before = await ingest.db.ingestImport.count();
    const res = await postRaw('sku,name,price\nP-1,Mug,1\nP-2,Cu\u0000p,2\n', {
      'content-type': 'text/csv',
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'line 3, products[1].name: contains U+0000 (NUL), which PostgreSQL cannot store',
    );
    expect(await ingest.db.ingestImport.count()).toBe(before);
  });

  it('refuses JSON nested 20,000 levels deep, journaling nothing', async () => {
    const before = await ingest.db.ingestImport.count();
    const deep = `[\n{"sku":"P-1","name":"x","price":1,"data":${'['.repeat(20_000)}${']'.repeat(20_000)}}\n]`;
    const res = await postRaw(deep);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(
      /^line 2, products\[0\]\.data(\[0\])+: nested deeper than 32 levels/,
    );
    const objects = `[${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}]`;
    expect((await postRaw(objects)).body.message).toMatch(
      /^line 1, products\[0\](\.a)+: nested deeper than 32 levels/,
    );
    expect(await ingest.db.ingestImport.count()).toBe(before);
  });

  it('refuses other encodings and broken compression, journaling nothing', async () => {
    const before = await ingest.db.ingestImport.count();
    const latin1 = await postRaw(Buffer.from(withName('"café"'), 'latin1'), {
      'content-type': 'application/json',
    });
    expect(latin1.status).toBe(400);
    expect(latin1.body.message).toMatch(/^line 4, products\[2\]\.name: is not UTF-8/);
    const charset = await postRaw(withName('"x"'), {
      'content-type': 'text/csv; charset=iso-8859-1',
    });
    expect(charset.status).toBe(415);
    const garbage = await postRaw(Buffer.from('certainly not gzip'), {
      'content-encoding': 'gzip',
    });
    expect(garbage.status).toBe(400);
    expect(garbage.body).toMatchObject({ code: 'invalid_body' });
    expect(garbage.body.message).toMatch(/^body: not valid gzip data/);
    // Compressed small, too large once inflated: refused as it inflates, not after.
    const bomb = await postRaw(gzipSync(`[${' '.repeat(5_000_000)}]`), {
      'content-encoding': 'gzip',
    });
    expect(bomb.status).toBe(413);
    expect(await ingest.db.ingestImport.count()).toBe(before);
  });

  it('journals nothing for a client that gives up half-way through its feed', async () => {
    const before = await ingest.db.ingestImport.count();
    const { hostname: host, port } = new URL(ingest.url);
    const socket = connect(Number(port), host);
    await once(socket, 'connect');
    const feed = JSON.stringify(feedFor('d-1', 3));
    socket.write(
      `POST /ingest/v1/sites/d-1/imports HTTP/1.1\r\nhost: ${host}\r\n` +
        `content-type: application/json\r\ncontent-length: ${feed.length}\r\n` +
        `authorization: Bearer ${initialTokens.import}\r\n\r\n${feed.slice(0, feed.length / 2)}`,
    );
    socket.destroy();
    await once(socket, 'close');
    // The server is fine, and the next post of the same site is journaled on its own.
    const next = await ingest.post('d-1', feedFor('d-1', 4));
    expect(next.status).toBe(202);
    expect(await ingest.db.ingestImport.count()).toBe(before + 1);
  });

  it('accepts a compressed feed, journaled as its text', async () => {
    const text = JSON.stringify(feedFor('d-1', 1));
    const res = await postRaw(gzipSync(text), { 'content-encoding': 'gzip' });
    // Posted to d-poison: its refusals above held nothing up.
    expect(res.status).toBe(202);
    const row = await ingest.db.ingestImport.findUniqueOrThrow({
      where: { id: res.body.importId },
    });
    expect(row.payload).toBe(text);
    expect((await ingest.processed(res.body.importId)).state).toBe('done');
    const zstd = await postRaw(zstdCompressSync(text), { 'content-encoding': 'zstd' });
    expect(zstd.status).toBe(202);
    const again = await ingest.db.ingestImport.findUniqueOrThrow({
      where: { id: zstd.body.importId },
    });
    expect(again.payload).toBe(text);
  });

  it('lets every other site import and report after a poison feed', async () => {
    const poison = await postRaw(withName('"\\u0000"'));
    expect(poison.status).toBe(400);
    const others = sites.filter((s) => s !== 'd-poison');
    const replies = await Promise.all(others.map((site) => ingest.post(site, feedFor(site, 2))));
    expect(replies.map((r) => r.status)).toEqual(others.map(() => 202));
    for (const reply of replies) {
      expect((await ingest.processed(reply.body.importId)).state).toBe('done');
    }
    // Each import's report reaches the control plane.
    for (const site of others) {
      await eventually(async () => {
        const reports = (await cp.api('GET', `/api/v1/sites/${site}/imports`)).body.items;
        return reports?.length > 0 ? true : undefined;
      });
    }
  });
});

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
