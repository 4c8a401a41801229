import { finished } from 'node:stream/promises';
import { CsvError, Parser } from 'csv-parse';
import type { Info } from 'csv-parse';
import { FeedProblem, fieldSegment } from './feed-problem.ts';
import type { FeedScannerOptions } from './json-feed-scanner.ts';
import { unstorableText } from './text-checks.ts';

/**
 * Reads a CSV feed (a header row, then one product a record) a chunk at a time with csv-parse's
 * stream parser, memory bounded by one record. Empty cells are left out of the product. Refuses,
 * with the line of the first one: malformed CSV, more than `maxItems` products, and cells or
 * column names PostgreSQL cannot store (U+0000).
 */
export class CsvFeedScanner {
  readonly #parser = new Parser({
    columns: true,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
  });
  #items = 0;
  /** The first problem found: csv-parse reports its own errors asynchronously. */
  #problem: FeedProblem | undefined;

  constructor(options: Omit<FeedScannerOptions, 'maxDepth'>) {
    this.#parser.on('data', ({ record, info }: { record: Record<string, string>; info: Info }) => {
      if (this.#problem) return;
      const index = this.#items++;
      if (this.#items > options.maxItems) {
        this.#problem = new FeedProblem({
          place: { line: info.lines },
          problem: `at most ${options.maxItems} products per feed; split the catalog or contact us`,
          kind: 'too_many',
        });
        return;
      }
      const product: Record<string, string> = {};
      for (const [column, value] of Object.entries(record)) {
        const problem = unstorableText(column) ?? unstorableText(value);
        if (problem) {
          const path = `products[${index}]${fieldSegment(column)}`;
          this.#problem = new FeedProblem({ place: { line: info.lines }, path, problem });
          return;
        }
        if (value !== '') product[column] = value;
      }
      options.onItem?.(product);
    });
    this.#parser.on('error', (err) => void (this.#problem ??= fromCsvError(err)));
  }

  write(chunk: Uint8Array): void {
    this.#check();
    this.#parser.write(chunk);
    this.#check();
  }

  async end(): Promise<number> {
    this.#check();
    this.#parser.end();
    await finished(this.#parser).catch(() => {});
    this.#check();
    return this.#items;
  }

  /** Where the scanner is now: the product being read. */
  path(): string {
    return `products[${this.#items}]`;
  }

  #check(): void {
    if (this.#problem) throw this.#problem;
  }
}

function fromCsvError(err: Error): FeedProblem {
  const line = err instanceof CsvError ? (err as CsvError & { lines?: number }).lines : undefined;
  return new FeedProblem({ place: { line: line ?? 1 }, problem: `malformed CSV (${err.message})` });
}
