import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CsvFeedScanner } from './feed/csv-feed-scanner.ts';
import { FeedProblem } from './feed/feed-problem.ts';
import { JsonFeedScanner } from './feed/json-feed-scanner.ts';
import { invalidUtf8At, lineAt, newlinesIn } from './feed/text-checks.ts';

export const maxFeedItems = 200_000;
/**
 * The feed's array is level 1 and each product level 2, so products' attributes may nest 30
 * levels: far more than any catalog needs, far less than what stalls a parser or a jsonb column.
 */
export const maxFeedDepth = 32;

/** The feed formats the journal stores, by their media type. */
export const feedTypes = ['application/json', 'text/csv'] as const;
export type FeedType = (typeof feedTypes)[number];

/** The feed type of a Content-Type header, or undefined when it is none of them. */
export function feedTypeOf(contentType: string | undefined): FeedType | undefined {
  const media = contentType?.split(';')[0]!.trim().toLowerCase();
  if (!media) return undefined;
  if (media === 'application/json' || media.endsWith('+json')) return 'application/json';
  if (media === 'text/csv') return 'text/csv';
  return undefined;
}

type FeedScanner = JsonFeedScanner | CsvFeedScanner;

function scannerFor(contentType: FeedType, onItem?: (item: unknown) => void): FeedScanner {
  return contentType === 'text/csv'
    ? new CsvFeedScanner({ maxItems: maxFeedItems, onItem })
    : new JsonFeedScanner({ maxItems: maxFeedItems, maxDepth: maxFeedDepth, onItem });
}

export type ReceivedFeed = { text: string; contentHash: string; products: number };

/**
 * Reads a feed as it arrives — a JSON array of products, or CSV with a header row
 * (sku,name,price,gtin,...) — checking it chunk by chunk, so nothing that could not be processed
 * is ever journaled, and memory holds the text once (plus one product) however large the feed.
 * Returns the text as received (UTF-8, without a byte order mark) and its SHA-256. Throws a 400
 * naming the line and field of the first problem, or a 413 past `maxFeedItems` products.
 */
export async function receiveFeed(options: {
  contentType: FeedType;
  body: AsyncIterable<Uint8Array>;
}): Promise<ReceivedFeed> {
  const scanner = scannerFor(options.contentType);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const hash = createHash('sha256');
  const pieces: string[] = [];
  const notUtf8 = (chunk: Uint8Array, final: boolean) => {
    const at = Math.max(0, invalidUtf8At(chunk, final));
    scanner.write(chunk.subarray(0, at));
    return new FeedProblem({
      place: { line: lineAt(pieces, Infinity) + newlinesIn(chunk, at) },
      path: scanner.path(),
      problem:
        'is not UTF-8 (a raw lone surrogate, or bytes in another encoding); send the feed as UTF-8',
    });
  };
  try {
    for await (const chunk of options.body) {
      let piece: string;
      try {
        piece = decoder.decode(chunk, { stream: true });
      } catch {
        throw notUtf8(chunk, false);
      }
      pieces.push(piece);
      hash.update(piece);
      scanner.write(chunk);
    }
    try {
      decoder.decode();
    } catch {
      throw notUtf8(new Uint8Array(0), true);
    }
    const products = await scanner.end();
    return { text: pieces.join(''), contentHash: hash.digest('hex'), products };
  } catch (err) {
    throw err instanceof FeedProblem ? err.toAppError(lineOf(err, pieces)) : err;
  }
}

/**
 * The items of a stored feed (checked when it was accepted), `batchSize` or a few more at a
 * time, parsed a slice at a time with a turn of the event loop between slices: a 200,000-product
 * feed never holds the process for more than a few milliseconds at once.
 */
export async function* feedBatches(options: {
  contentType: FeedType;
  text: string;
  batchSize: number;
}): AsyncGenerator<unknown[]> {
  const { text } = options;
  let pending: unknown[] = [];
  const scanner = scannerFor(options.contentType, (item) => pending.push(item));
  const sliceChars = 64 * 1024;
  try {
    for (let start = 0; start < text.length;) {
      let end = Math.min(text.length, start + sliceChars);
      // Never split a surrogate pair: each slice is encoded to UTF-8 on its own.
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end++;
      scanner.write(Buffer.from(text.slice(start, end)));
      start = end;
      if (pending.length >= options.batchSize) {
        const batch = pending;
        pending = [];
        yield batch;
      }
      await nextTurn();
    }
    await scanner.end();
  } catch (err) {
    throw err instanceof FeedProblem ? err.toAppError(lineOf(err, [text])) : err;
  }
  if (pending.length > 0) yield pending;
}

function lineOf(problem: FeedProblem, pieces: readonly string[]): number {
  return 'line' in problem.place ? problem.place.line : lineAt(pieces, problem.place.offset);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
