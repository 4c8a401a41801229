import { parse as parseCsv } from 'csv-parse/sync';
import { AppError, ValidationError } from '../lib/errors.ts';

export const maxFeedItems = 200_000;

/** A feed is a JSON array of products, or CSV with a header row (sku,name,price,gtin,...). */
export function feedItems(body: unknown): unknown[] {
  if (typeof body === 'string') return csvItems(body);
  if (!Array.isArray(body)) {
    throw new ValidationError(
      'body: a feed is a JSON array of products (or CSV with a header row)',
      [{ path: 'body', message: `expected an array, got ${body === null ? 'null' : typeof body}` }],
    );
  }
  if (body.length > maxFeedItems) {
    throw new AppError({
      status: 413,
      code: 'feed_too_large',
      message: `body: at most ${maxFeedItems} products per feed`,
    });
  }
  return body;
}

function csvItems(text: string): unknown[] {
  try {
    const rows = parseCsv(text, {
      columns: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
    }) as Record<string, string>[];
    if (rows.length > maxFeedItems) {
      throw new AppError({
        status: 413,
        code: 'feed_too_large',
        message: `body: at most ${maxFeedItems} products per feed`,
      });
    }
    return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '')));
  } catch (err) {
    if (err instanceof AppError) throw err;
    const line = (err as { lines?: number }).lines;
    throw new ValidationError(`CSV line ${line ?? '?'}: ${(err as Error).message}`, [
      { line, message: (err as Error).message },
    ]);
  }
}
