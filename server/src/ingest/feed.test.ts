// Feeds are read as streams: whatever the chunking, the same products come out, and the first
// problem is refused with its line and field.
import { describe, expect, it } from 'vitest';
import type { AppError } from '../lib/errors.ts';
import { feedBatches, feedPartBytes, maxFeedDepth, receiveFeed } from './feed.ts';
import type { FeedType } from './feed.ts';

async function* chunked(text: string | Uint8Array, size: number) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function receive(
  text: string | Uint8Array,
  contentType: FeedType = 'application/json',
  size = 7,
) {
  const feed = await receiveFeed({ contentType, body: chunked(text, size) });
  return { ...feed, text: feed.parts.join('') };
}

async function* inParts(parts: string[]) {
  yield* parts;
}

async function refusal(text: string | Uint8Array, contentType: FeedType = 'application/json') {
  const err = (await receive(text, contentType).catch((e: unknown) => e)) as AppError;
  expect(err).toBeInstanceOf(Error);
  return { status: err.status, code: err.code, message: err.message };
}

async function allItems(contentType: FeedType, text: string) {
  const items: unknown[] = [];
  const parts = [text.slice(0, 10), text.slice(10)];
  for await (const batch of feedBatches({ contentType, parts: inParts(parts) }))
    items.push(...batch);
  return items;
}

describe('receiving a feed', () => {
  it('keeps the text as received, hashes it, and counts its products in any chunking', async () => {
    const text =
      '[\n {"sku":"A-1","name":"Mug ☕","price":1},\n {"sku":"A-2","name":"😀","price":2}\n]\n';
    for (const size of [1, 2, 3, 5, 64 * 1024]) {
      const feed = await receive(text, 'application/json', size);
      expect(feed.text).toBe(text);
      expect(feed.products).toBe(2);
    }
    const { createHash } = await import('node:crypto');
    expect((await receive(text)).contentHash).toBe(createHash('sha256').update(text).digest('hex'));
    // A byte order mark is not part of the text (as the journal always stored it).
    expect((await receive(`\ufeff${text}`)).text).toBe(text);
  });

  it('refuses NUL and lone surrogates, raw or escaped, naming line and field', async () => {
    const lines = (bad: string) =>
      `[\n{"sku":"A-1","name":"ok","price":1},\n{"sku":"A-2","name":"ok","price":2},\n{"sku":"A-3","name":${bad},"price":3}\n]`;
    expect(await refusal(lines('"a\\u0000b"'))).toEqual({
      status: 400,
      code: 'validation_failed',
      message: 'line 4, products[2].name: contains U+0000 (NUL), which PostgreSQL cannot store',
    });
    expect((await refusal(lines('"a\u0000b"'))).message).toBe(
      'line 4, products[2].name: contains U+0000 (NUL), which PostgreSQL cannot store',
    );
    expect((await refusal(lines('"x\\ud800"'))).message).toBe(
      'line 4, products[2].name: contains a lone surrogate (U+D800), which is not Unicode text; PostgreSQL cannot store it',
    );
    expect((await refusal(lines('"\\udc00"'))).message).toMatch(
      /^line 4, products\[2\]\.name: .*U\+DC00/,
    );
    // A raw lone surrogate (CESU-8 bytes) is not UTF-8.
    const raw = Buffer.concat([
      Buffer.from('[{"sku":"A"},\n{"sku":"B","name":"x'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}]'),
    ]);
    expect(await refusal(raw)).toEqual({
      status: 400,
      code: 'validation_failed',
      message:
        'line 2, products[1].name: is not UTF-8 (a raw lone surrogate, or bytes in another encoding); send the feed as UTF-8',
    });
    expect((await refusal('[{"sku":"A","data":{"we\\u0000ird":1}}]')).message).toBe(
      'line 1, products[0].data: contains U+0000 (NUL), which PostgreSQL cannot store (in a field name)',
    );
  });

  it('refuses absurd nesting without recursing', async () => {
    const deep = `[{"sku":"A","data":${'['.repeat(20_000)}${']'.repeat(20_000)}}]`;
    const { status, message } = await refusal(deep);
    expect(status).toBe(400);
    expect(message).toMatch(
      new RegExp(
        `^line 1, products\\[0\\]\\.data(\\[0\\])+: nested deeper than ${maxFeedDepth} levels`,
      ),
    );
    const fine = `[{"sku":"A","data":${'['.repeat(maxFeedDepth - 2)}${']'.repeat(maxFeedDepth - 2)}}]`;
    expect((await receive(fine)).products).toBe(1);
  });

  it('refuses malformed JSON and what is not an array, with the line', async () => {
    expect(await refusal('[\n{"sku": "a",\n')).toMatchObject({ status: 400, code: 'invalid_json' });
    expect((await refusal('[\n{"sku" "a"}]')).message).toMatch(
      /^line 2, products\[0\].*: malformed JSON/,
    );
    expect((await refusal('[1] x')).code).toBe('invalid_json');
    expect((await refusal('{"sku":"a"}')).message).toBe(
      'line 1: a feed is a JSON array of products (or CSV with a header row)',
    );
    expect((await refusal('"text"')).code).toBe('validation_failed');
    expect((await refusal('  ')).message).toBe('line 1: the feed is empty');
  });

  it('reads CSV, leaving out empty cells, and refuses NUL with line and column', async () => {
    const csv = 'sku,name,price,gtin\nA-1,Mug,1.5,\n"A-2","Two\nlines",2,4006381333931\n';
    const feed = await receive(csv, 'text/csv', 3);
    expect(feed).toMatchObject({ text: csv, products: 2 });
    expect(await allItems('text/csv', csv)).toEqual([
      { sku: 'A-1', name: 'Mug', price: '1.5' },
      { sku: 'A-2', name: 'Two\nlines', price: '2', gtin: '4006381333931' },
    ]);
    expect(await refusal('sku,name\nA,ok\nB,b\u0000d\n', 'text/csv')).toEqual({
      status: 400,
      code: 'validation_failed',
      message: 'line 3, products[1].name: contains U+0000 (NUL), which PostgreSQL cannot store',
    });
    expect((await refusal('sku,name\n"unterminated,x\n', 'text/csv')).message).toMatch(
      /^line \d+: malformed CSV/,
    );
  });

  it('refuses more products than a feed may hold with a 413', async () => {
    const err = await refusal(`[${'0,'.repeat(200_000)}0]`);
    expect(err).toMatchObject({ status: 413, code: 'feed_too_large' });
  });
});

describe('reading a stored feed in batches', () => {
  it('keeps a large feed in parts of about 1 MiB, read back across the parts', async () => {
    const products = Array.from({ length: 30_000 }, (_, i) => ({
      sku: `S-${i}`,
      name: '😀 x'.repeat(20),
    }));
    const text = JSON.stringify(products);
    const feed = await receiveFeed({
      contentType: 'application/json',
      body: chunked(text, 65_536),
    });
    expect(feed.parts.length).toBeGreaterThan(2);
    expect(feed.parts.slice(0, -1).every((p) => Buffer.byteLength(p) > feedPartBytes - 4)).toBe(
      true,
    );
    expect(feed.parts.join('')).toBe(text);
    const items: unknown[] = [];
    for await (const batch of feedBatches({
      contentType: 'application/json',
      parts: inParts(feed.parts),
    }))
      items.push(...batch);
    expect(items).toEqual(products);
  });

  it('gives every item, in order, whatever the size', async () => {
    const products = Array.from({ length: 5_000 }, (_, i) => ({
      sku: `S-${i}`,
      name: 'é😀'.repeat(i % 7),
    }));
    const items = await allItems('application/json', JSON.stringify(products));
    expect(items).toEqual(products);
  });

  it('fails with the line of a problem in a feed journaled before the checks existed', async () => {
    const err = await allItems('application/json', '[{"sku":"a"},\n{"name":"\\u0000"}]').catch(
      (e: unknown) => e as AppError,
    );
    expect((err as AppError).message).toBe(
      'line 2, products[1].name: contains U+0000 (NUL), which PostgreSQL cannot store',
    );
  });
});
