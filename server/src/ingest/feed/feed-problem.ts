import { AppError } from '../../lib/errors.ts';

/** What is wrong with a feed, where: a client reads `line 3, products[2].name: …`. */
export class FeedProblem extends Error {
  readonly line: number;
  /** Where in the feed's products, e.g. `products[2].name`; undefined before the first one. */
  readonly path: string | undefined;
  readonly kind: 'malformed' | 'invalid' | 'too_many';

  constructor(options: {
    line: number;
    path?: string;
    problem: string;
    kind?: FeedProblem['kind'];
  }) {
    super(options.problem);
    this.line = options.line;
    this.path = options.path;
    this.kind = options.kind ?? 'invalid';
  }

  toAppError(): AppError {
    const { line, path } = this;
    const details = [{ line, ...(path ? { path } : {}), message: this.message }];
    if (this.kind === 'too_many') {
      return new AppError({ status: 413, code: 'feed_too_large', message: this.message, details });
    }
    return new AppError({
      status: 400,
      code: this.kind === 'malformed' ? 'invalid_json' : 'validation_failed',
      message: `${path ? `line ${line}, ${path}` : `line ${line}`}: ${this.message}`,
      details,
    });
  }
}

/** A field name as a path segment: `.name`, or `["unit price"]` when it is not an identifier. */
export function fieldSegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** The interface both feed formats' scanners offer (json-feed-scanner.ts, csv-feed-scanner.ts). */
export interface FeedScanner {
  /** The next bytes of the feed, as received (UTF-8). Throws a FeedProblem at the first one. */
  write(chunk: Uint8Array): void;
  /** The feed is complete: returns the number of products, or throws a FeedProblem. */
  end(): Promise<number>;
  /** A problem at the place the scanner has reached (for what the caller finds itself). */
  problem(message: string): FeedProblem;
}

export type FeedScannerOptions = {
  maxItems: number;
  maxDepth: number;
  /** The products, in feed order, a batch at a time (at most `batchSize` or 1 MB of text). */
  onBatch?: (items: unknown[]) => void;
  batchSize?: number;
};
