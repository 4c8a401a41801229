import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ValidationError } from '../lib/errors.ts';
import { CsvFeedScanner } from './feed/csv-feed-scanner.ts';
import { FeedProblem } from './feed/feed-problem.ts';
import type { FeedScanner } from './feed/feed-problem.ts';
import { JsonFeedScanner } from './feed/json-feed-scanner.ts';
import { invalidUtf8At, textSlices } from './feed/text-checks.ts';

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

function scannerFor(contentType: FeedType, onBatch?: (items: unknown[]) => void): FeedScanner {
  const options = { maxItems: maxFeedItems, maxDepth: maxFeedDepth, onBatch };
  return contentType === 'text/csv' ? new CsvFeedScanner(options) : new JsonFeedScanner(options);
}

/** The feed's text is kept in parts of about this many bytes (the journal stores them so). */
export const feedPartBytes = 1024 * 1024;

export type ReceivedFeed = {
  /** The text as received (UTF-8, without a byte order mark), in parts of ~`feedPartBytes`. */
  parts: string[];
  contentHash: string;
  products: number;
};

/**
 * Reads a feed as it arrives — a JSON array of products, or CSV with a header row
 * (sku,name,price,gtin,...) — checking it chunk by chunk, so nothing that could not be processed
 * is ever journaled, and memory holds the text once (plus a batch of products) however large the
 * feed. Returns the text in parts, and its SHA-256. Throws a 400 naming the line and field of the
 * first problem, or a 413 past `maxFeedItems` products.
 */
export async function receiveFeed(options: {
  contentType: FeedType;
  body: AsyncIterable<Uint8Array>;
}): Promise<ReceivedFeed> {
  const scanner = scannerFor(options.contentType);
  // Each chunk is checked as it comes (its text thrown away young, which costs the garbage
  // collector nearly nothing); the bytes are kept and decoded once a part is full, so the heap
  // holds each character once.
  const check = new TextDecoder('utf-8', { fatal: true });
  const decoder = new TextDecoder('utf-8');
  const hash = createHash('sha256');
  const parts: string[] = [];
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let bytes = 0;
  /** Keeps a chunk; decodes the held bytes into a part when they fill one, or at the end. */
  const keep = (chunk: Uint8Array | undefined) => {
    if (chunk) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes < feedPartBytes) return;
    }
    const part = decoder.decode(Buffer.concat(held), { stream: chunk !== undefined });
    [held, heldBytes] = [[], 0];
    if (part === '') return;
    hash.update(part);
    parts.push(part);
  };
  const notUtf8 = (chunk: Uint8Array, final: boolean) => {
    scanner.write(chunk.subarray(0, Math.max(0, invalidUtf8At(chunk, final))));
    return scanner.problem(
      'is not UTF-8 (a raw lone surrogate, or bytes in another encoding); send the feed as UTF-8',
    );
  };
  try {
    for await (const chunk of options.body) {
      bytes += chunk.length;
      try {
        check.decode(chunk, { stream: true });
      } catch {
        throw notUtf8(chunk, false);
      }
      scanner.write(chunk);
      keep(chunk);
      // Chunks already buffered arrive as resolved promises, without a turn of the event loop
      // between them: without this, a fast client's feed is checked in one long step.
      await nextTurn();
    }
    try {
      check.decode();
    } catch {
      throw notUtf8(new Uint8Array(0), true);
    }
    keep(undefined);
    if (bytes === 0) {
      throw new ValidationError('body: send the feed as application/json (an array) or text/csv', [
        { path: 'body', message: 'missing' },
      ]);
    }
    const products = await scanner.end();
    return { parts, contentHash: hash.digest('hex'), products };
  } catch (err) {
    throw err instanceof FeedProblem ? err.toAppError() : err;
  }
}

/**
 * The items of a journaled feed (checked when it was accepted), read part by part and parsed a
 * slice at a time, with a turn of the event loop between slices: a 200,000-product feed never
 * holds the process for more than a few milliseconds, nor more than one part of its text in
 * memory besides the products of a batch or two.
 */
export async function* feedBatches(options: {
  contentType: FeedType;
  parts: AsyncIterable<string>;
}): AsyncGenerator<unknown[]> {
  const ready: unknown[][] = [];
  const scanner = scannerFor(options.contentType, (items) => ready.push(items));
  const sliceChars = 64 * 1024;
  try {
    for await (const part of options.parts) {
      for (const slice of textSlices(part, sliceChars)) {
        scanner.write(Buffer.from(slice));
        while (ready.length > 0) yield ready.shift()!;
        await nextTurn();
      }
    }
    await scanner.end();
  } catch (err) {
    throw err instanceof FeedProblem ? err.toAppError() : err;
  }
  yield* ready;
}
