import { FeedProblem } from './feed-problem.ts';

/** Bytes of products parsed at once, at most (besides `batchSize` products). */
const batchBytes = 1024 * 1024;

/**
 * Gathers the bytes of consecutive products, as the JSON scanner finds where each begins and
 * ends, and parses them with the engine's JSON.parse, `batchSize` (or 1 MB) at a time. Holds only
 * the chunks the open batch spans. Without a taker (accepting a feed) it parses nothing.
 */
export class ProductBatches {
  readonly #batchSize: number;
  readonly #onBatch: ((items: unknown[]) => void) | undefined;
  #start = -1;
  #line = 0;
  #count = 0;
  #held: Uint8Array[] = [];
  #heldStart = 0;

  constructor(options: { batchSize: number; onBatch?: (items: unknown[]) => void }) {
    this.#batchSize = options.batchSize;
    this.#onBatch = options.onBatch;
  }

  /** The next chunk of the feed, starting at byte `offset`. */
  chunk(chunk: Uint8Array, offset: number): void {
    if (!this.#onBatch) return;
    if (this.#start < 0) [this.#held, this.#heldStart] = [[], offset];
    this.#held.push(chunk);
  }

  /** A product begins at byte `at`, on `line`. */
  begin(at: number, line: number): void {
    if (this.#start >= 0 || !this.#onBatch) return;
    [this.#start, this.#line] = [at, line];
    // Chunks before the one the batch starts in are not needed.
    while (this.#held.length > 1 && this.#heldStart + this.#held[0]!.length <= at) {
      this.#heldStart += this.#held.shift()!.length;
    }
  }

  /** A product ended just before byte `end`. */
  end(end: number): void {
    if (++this.#count >= this.#batchSize || end - this.#start >= batchBytes) this.flush(end);
  }

  /** Parses the products gathered, up to byte `end`, and hands them over. */
  flush(end: number): void {
    if (this.#start < 0 || !this.#onBatch) {
      [this.#start, this.#count] = [-1, 0];
      return;
    }
    const held = this.#held.length === 1 ? this.#held[0]! : Buffer.concat(this.#held);
    const bytes = Buffer.from(held.buffer, held.byteOffset, held.byteLength).subarray(
      this.#start - this.#heldStart,
      end - this.#heldStart,
    );
    let items: unknown[];
    try {
      items = JSON.parse(`[${bytes.toString('utf8')}]`) as unknown[];
    } catch (err) {
      // The scanner's checks found nothing: the engine's message says what, and on which line.
      const message = (err as Error).message;
      const line = /\(line (\d+) column/.exec(message);
      throw new FeedProblem({
        line: this.#line + (line ? Number(line[1]) - 1 : 0),
        problem: `malformed JSON (${message})`,
        kind: 'malformed',
      });
    }
    [this.#start, this.#count] = [-1, 0];
    this.#onBatch(items);
  }
}
