import { AppError } from '../../lib/errors.ts';

/** Where a problem is: a byte offset in the feed (JSON tokens) or a line (CSV records). */
export type FeedPlace = { offset: number } | { line: number };

/**
 * What is wrong with a feed, as a scanner finds it. The reader that holds the feed's text turns
 * the place into a line (`toAppError`), so a client reads `line 3, products[2].name: …`.
 */
export class FeedProblem extends Error {
  readonly place: FeedPlace;
  /** Where in the feed's products, e.g. `products[2].name`; undefined before the first one. */
  readonly path: string | undefined;
  readonly kind: 'malformed' | 'invalid' | 'too_many';

  constructor(options: {
    place: FeedPlace;
    path?: string;
    problem: string;
    kind?: FeedProblem['kind'];
  }) {
    super(options.problem);
    this.place = options.place;
    this.path = options.path;
    this.kind = options.kind ?? 'invalid';
  }

  toAppError(line: number): AppError {
    const at = this.path ? `line ${line}, ${this.path}` : `line ${line}`;
    const details = [{ line, ...(this.path ? { path: this.path } : {}), message: this.message }];
    if (this.kind === 'too_many') {
      return new AppError({ status: 413, code: 'feed_too_large', message: this.message, details });
    }
    return new AppError({
      status: 400,
      code: this.kind === 'malformed' ? 'invalid_json' : 'validation_failed',
      message: `${at}: ${this.message}`,
      details,
    });
  }
}

/** A field name as a path segment: `.name`, or `["unit price"]` when it is not an identifier. */
export function fieldSegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
