import { parse as parseCsv } from 'csv-parse/sync';
import { AppError, ValidationError } from '../lib/errors.ts';

export const maxFeedItems = 200_000;

/** The feed formats the journal stores, by their media type. */
export const feedTypes = ['application/json', 'text/csv'] as const;
export type FeedType = (typeof feedTypes)[number];

/**
 * Parses a feed as received: a JSON array of products, or CSV with a header row
 * (sku,name,price,gtin,...). Runs when an import is accepted — so nothing malformed is journaled
 * — and again when it is processed or replayed, from the stored text.
 */
export function parseFeed(options: { contentType: FeedType; text: string }): unknown[] {
  return options.contentType === 'text/csv' ? csvItems(options.text) : jsonItems(options.text);
}

function jsonItems(text: string): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new AppError({
      status: 400,
      code: 'invalid_json',
      message: `body: malformed JSON (${(err as Error).message})`,
      details: [{ path: 'body', message: (err as Error).message }],
    });
  }
  if (!Array.isArray(body)) {
    throw new ValidationError(
      'body: a feed is a JSON array of products (or CSV with a header row)',
      [{ path: 'body', message: `expected an array, got ${body === null ? 'null' : typeof body}` }],
    );
  }
  return limited(body);
}

function limited(items: unknown[]): unknown[] {
  if (items.length > maxFeedItems) {
    throw new AppError({
      status: 413,
      code: 'feed_too_large',
      message: `body: at most ${maxFeedItems} products per feed; split the catalog or contact us`,
    });
  }
  return items;
}

function csvItems(text: string): unknown[] {
  try {
    const rows = parseCsv(text, {
      columns: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
    }) as Record<string, string>[];
    return limited(rows).map((row) =>
      Object.fromEntries(Object.entries(row as object).filter(([, v]) => v !== '')),
    );
  } catch (err) {
    if (err instanceof AppError) throw err;
    const line = (err as { lines?: number }).lines;
    throw new ValidationError(`CSV line ${line ?? '?'}: ${(err as Error).message}`, [
      { line, message: (err as Error).message },
    ]);
  }
}

/** The feed type of a Content-Type header, or undefined when it is none of them. */
export function feedTypeOf(contentType: string | undefined): FeedType | undefined {
  const media = contentType?.split(';')[0]!.trim().toLowerCase();
  if (!media) return undefined;
  if (media === 'application/json' || media.endsWith('+json')) return 'application/json';
  if (media === 'text/csv') return 'text/csv';
  return undefined;
}
