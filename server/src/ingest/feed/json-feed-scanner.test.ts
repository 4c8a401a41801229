// The scanner against the engine's own JSON.parse, on random feeds and random damage to them:
// it accepts exactly the arrays JSON.parse accepts (less what PostgreSQL cannot store and absurd
// nesting) and hands over the same products, however the bytes are chunked.
import { describe, expect, it } from 'vitest';
import { JsonFeedScanner } from './json-feed-scanner.ts';

function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const texts = ['', 'a', 'Mug ☕', '😀', 'quote " and \\ slash', 'tab\tnew\nline', '\u00e9', ' '];

function value(rnd: () => number, depth: number): unknown {
  const kind = Math.floor(rnd() * (depth > 3 ? 5 : 7));
  switch (kind) {
    case 0:
      return Math.round(rnd() * 1e6) / 100 - 50;
    case 1:
      return texts[Math.floor(rnd() * texts.length)];
    case 2:
      return rnd() < 0.5;
    case 3:
      return null;
    case 4:
      return Math.floor(rnd() * 1e12);
    case 5:
      return Array.from({ length: Math.floor(rnd() * 4) }, () => value(rnd, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => [
          `k${i}${texts[i]}`,
          value(rnd, depth + 1),
        ]),
      );
  }
}

async function scanAll(bytes: Uint8Array, rnd: () => number) {
  const items: unknown[] = [];
  const scanner = new JsonFeedScanner({
    maxItems: 1_000,
    maxDepth: 32,
    batchSize: 3,
    onBatch: (b) => items.push(...b),
  });
  try {
    for (let i = 0; i < bytes.length;) {
      const size = 1 + Math.floor(rnd() * 40);
      scanner.write(bytes.subarray(i, i + size));
      i += size;
    }
    await scanner.end();
    return { items };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** What the scanner should make of `text`: JSON.parse's verdict, plus the feed's own rules. */
function expected(text: string): { items: unknown[] } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const storable = (v: unknown): boolean =>
    typeof v === 'string'
      ? !v.includes('\u0000') && v.isWellFormed()
      : typeof v === 'object' && v !== null
        ? Object.entries(v).every(([k, x]) => storable(k) && storable(x))
        : true;
  if (!storable(parsed)) return undefined;
  return { items: parsed };
}

describe('the JSON feed scanner', () => {
  it('gives the products JSON.parse gives, in any chunking', async () => {
    const rnd = random(7);
    for (let n = 0; n < 300; n++) {
      const feed = Array.from({ length: Math.floor(rnd() * 12) }, () => value(rnd, 1));
      const text = JSON.stringify(feed, null, rnd() < 0.3 ? 2 : undefined);
      expect(await scanAll(Buffer.from(text), rnd)).toEqual({ items: feed });
    }
  });

  it('accepts and refuses exactly what JSON.parse does, once damaged', async () => {
    const rnd = random(11);
    const damage = [
      '',
      '"',
      '\\',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '1',
      '-',
      'e',
      'x',
      ' ',
      'null',
      '\\u',
      '\\u0000',
      '\\ud800',
      '\\udc00',
    ];
    let refused = 0;
    for (let n = 0; n < 3_000; n++) {
      const feed = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => value(rnd, 1));
      let text = JSON.stringify(feed);
      for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) {
        const at = Math.floor(rnd() * (text.length + 1));
        const cut = Math.floor(rnd() * 3);
        text = text.slice(0, at) + damage[Math.floor(rnd() * damage.length)] + text.slice(at + cut);
      }
      // The bytes a client would send (a surrogate pair cut in two becomes U+FFFD).
      const bytes = Buffer.from(text);
      const want = expected(bytes.toString());
      const got = await scanAll(bytes, rnd);
      if (!want) refused++;
      if (want) expect(got, text).toEqual(want);
      else expect(got, text).toHaveProperty('error');
    }
    expect(refused).toBeGreaterThan(1_000);
  });
});
