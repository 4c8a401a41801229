import { finished } from 'node:stream/promises';
import { CsvError, Parser } from 'csv-parse';
import type { Info } from 'csv-parse';
import { FeedProblem, fieldSegment } from './feed-problem.ts';
import type { FeedScanner, FeedScannerOptions } from './feed-problem.ts';
import { unstorableText } from './text-checks.ts';

/**
 * Reads a CSV feed (a header row, then one product a record) a chunk at a time with csv-parse's
 * stream parser, memory bounded by a batch of records. Empty cells are left out of the product.
 * Refuses, with the line of the first one: malformed CSV, more than `maxItems` products, and
 * cells or column names PostgreSQL cannot store (U+0000).
 */
export class CsvFeedScanner implements FeedScanner {
  readonly #parser = new Parser({
    columns: true,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
  });
  #items = 0;
  #batch: Record<string, string>[] = [];
  /** The first problem found: csv-parse reports its own errors asynchronously. */
  #problem: FeedProblem | undefined;
  readonly #o: FeedScannerOptions;

  constructor(options: FeedScannerOptions) {
    this.#o = options;
    this.#parser.on('data', ({ record, info }: { record: Record<string, string>; info: Info }) => {
      if (this.#problem) return;
      const index = this.#items++;
      if (this.#items > options.maxItems) {
        this.#problem = new FeedProblem({
          line: info.lines,
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
          this.#problem = new FeedProblem({ line: info.lines, path, problem });
          return;
        }
        if (value !== '') product[column] = value;
      }
      this.#batch.push(product);
      if (this.#batch.length >= (options.batchSize ?? 1_000)) this.#flush();
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
    this.#flush();
    return this.#items;
  }

  problem(message: string): FeedProblem {
    return new FeedProblem({
      line: this.#parser.info.lines,
      path: `products[${this.#items}]`,
      problem: message,
    });
  }

  #flush(): void {
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    this.#o.onBatch?.(batch);
  }

  #check(): void {
    if (this.#problem) throw this.#problem;
  }
}

function fromCsvError(err: Error): FeedProblem {
  const line = err instanceof CsvError ? (err as CsvError & { lines?: number }).lines : undefined;
  return new FeedProblem({ line: line ?? 1, problem: `malformed CSV (${err.message})` });
}
