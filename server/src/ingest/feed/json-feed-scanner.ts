import { FeedProblem, fieldSegment } from './feed-problem.ts';
import type { FeedScanner, FeedScannerOptions } from './feed-problem.ts';
import { ProductBatches } from './product-batches.ts';
import { LineCounter } from './text-checks.ts';

// What the scanner expects next, outside strings and scalars.
const start = 0;
const valueOrClose = 1; // after '[': a value or ']'
const value = 2; // after ':' or an array's ','
const keyOrClose = 3; // after '{': a field name or '}'
const key = 4; // after an object's ','
const colon = 5;
const commaOrClose = 6; // after a value
const done = 7; // after the feed's array

type Frame = { object: boolean; index: number; key: Uint8Array | undefined };

const scalar = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;
const isWhitespace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isScalarByte = (b: number) =>
  (b >= 0x30 && b <= 0x39) ||
  (b >= 0x61 && b <= 0x7a) ||
  b === 0x2d ||
  b === 0x2b ||
  b === 0x2e ||
  b === 0x45;
const hexValue = (b: number) =>
  b >= 0x30 && b <= 0x39
    ? b - 0x30
    : (b | 0x20) >= 0x61 && (b | 0x20) <= 0x66
      ? (b | 0x20) - 0x57
      : -1;

/**
 * Reads a JSON feed — an array of products — a chunk of bytes at a time. A byte-level state
 * machine checks the structure and finds where each product begins and ends; the products
 * themselves are parsed by the engine's JSON.parse, a batch of them at a time (the engine parses
 * several times faster than any tokenizer written in JavaScript, and allocates only the result).
 * Memory holds one batch. Refuses, with the line and path of the first one: malformed JSON, a
 * top-level value that is not an array, nesting deeper than `maxDepth`, more than `maxItems`
 * products, and strings PostgreSQL cannot store — U+0000 and lone surrogates, as `\u` escapes
 * (a raw NUL is malformed JSON; raw surrogates are not UTF-8, which the caller refuses).
 */
export class JsonFeedScanner implements FeedScanner {
  readonly #o: FeedScannerOptions;
  readonly #lines = new LineCounter();
  readonly #frames: Frame[] = [];
  #expect = start;
  /** Absolute offset of the current chunk's first byte. */
  #offset = 0;
  #items = 0;

  #bomLeft = 0;
  // Inside a string: 0 plain, 1 after '\', 2…5 reading the hex digits of a \u escape.
  #inString = false;
  #isKey = false;
  #escape = 0;
  #escaped = 0;
  /** A \u escape of a high surrogate, waiting for the low one that must follow (0: none). */
  #high = 0;
  #keyParts: Uint8Array[] = [];
  /** The scalar (number, true, false, null) being read, when one is. */
  #scalar: string | undefined;

  readonly #batches: ProductBatches;

  constructor(options: FeedScannerOptions) {
    this.#o = options;
    this.#batches = new ProductBatches({
      batchSize: options.batchSize ?? 1_000,
      onBatch: options.onBatch,
    });
  }

  write(chunk: Uint8Array): void {
    this.#lines.next(chunk);
    this.#batches.chunk(chunk, this.#offset);
    for (let i = 0; i < chunk.length;) {
      i = this.#inString ? this.#string(chunk, i) : this.#structure(chunk, i);
    }
    this.#offset += chunk.length;
  }

  async end(): Promise<number> {
    if (this.#scalar !== undefined) this.#endScalar(this.#offset);
    if (this.#expect === start) throw this.problem('the feed is empty');
    if (this.#expect !== done) {
      throw this.#malformed(this.#offset, "the feed ends before its array is closed with ']'");
    }
    return this.#items;
  }

  problem(message: string, at = this.#offset): FeedProblem {
    const problem = this.#inString && this.#isKey ? `${message} (in a field name)` : message;
    return new FeedProblem({ line: this.#lines.lineAt(at), path: this.#path(), problem });
  }

  /** Outside strings: structure, whitespace and scalars. Returns the next index to read. */
  #structure(chunk: Uint8Array, i: number): number {
    const b = chunk[i]!;
    const at = this.#offset + i;
    if (this.#scalar !== undefined) {
      if (isScalarByte(b)) {
        this.#scalar += String.fromCharCode(b);
        if (this.#scalar.length > 400)
          throw this.#malformed(at, 'a number longer than 400 characters');
        return i + 1;
      }
      this.#endScalar(at);
    }
    if (isWhitespace(b)) return i + 1;
    switch (this.#expect) {
      case start:
        // A byte order mark (not part of the journaled text: the decoder drops it too).
        if ((b === 0xef && at === 0) || this.#bomLeft > 0) {
          this.#bomLeft = b === 0xef && at === 0 ? 2 : this.#bomLeft - 1;
          return i + 1;
        }
        if (b !== 0x5b)
          throw this.problem('a feed is a JSON array of products (or CSV with a header row)', at);
        this.#open(false, at);
        return i + 1;
      case done:
        throw this.#malformed(at, "unexpected data after the feed's array");
      case key:
      case keyOrClose:
        if (b === 0x22) return this.#startString(true, i);
        if (b === 0x7d && this.#expect === keyOrClose) return this.#close(at, i);
        throw this.#malformed(at, 'expected a field name in double quotes');
      case colon:
        if (b !== 0x3a) throw this.#malformed(at, "expected ':' after a field name");
        this.#expect = value;
        return i + 1;
      case commaOrClose: {
        const top = this.#frames.at(-1)!;
        if (b === 0x2c) {
          if (!top.object) top.index++;
          this.#expect = top.object ? key : value;
          return i + 1;
        }
        if (b === (top.object ? 0x7d : 0x5d)) return this.#close(at, i);
        throw this.#malformed(at, `expected ',' or '${top.object ? '}' : ']'}'`);
      }
      default: // value, valueOrClose
        if (b === 0x5d && this.#expect === valueOrClose) return this.#close(at, i);
        this.#beginValue(at);
        if (b === 0x7b || b === 0x5b) {
          this.#open(b === 0x7b, at);
          return i + 1;
        }
        if (b === 0x22) return this.#startString(false, i);
        if (isScalarByte(b)) {
          this.#scalar = String.fromCharCode(b);
          return i + 1;
        }
        if (b === 0) throw this.problem('contains U+0000 (NUL), which PostgreSQL cannot store', at);
        throw this.#malformed(at, `unexpected character '${String.fromCharCode(b)}'`);
    }
  }

  /** Inside a string; returns the index after what it read. */
  #string(chunk: Uint8Array, i: number): number {
    const begin = i;
    while (i < chunk.length) {
      const b = chunk[i]!;
      if (this.#escape === 0) {
        if (b === 0x22 || b === 0x5c || b < 0x20 || this.#high) {
          if (b === 0x5c) {
            this.#escape = 1;
            i++;
            continue;
          }
          if (this.#high) throw this.#loneSurrogate(this.#offset + i, this.#high);
          if (b === 0x22) return this.#endString(chunk, begin, i);
          if (b === 0)
            throw this.problem(
              'contains U+0000 (NUL), which PostgreSQL cannot store',
              this.#offset + i,
            );
          throw this.#malformed(this.#offset + i, 'a control character in a string (escape it)');
        }
        i++;
      } else if (this.#escape === 1) {
        if (b === 0x75) {
          [this.#escape, this.#escaped] = [2, 0];
        } else if (
          b === 0x22 ||
          b === 0x5c ||
          b === 0x2f ||
          'bfnrt'.includes(String.fromCharCode(b))
        ) {
          if (this.#high) throw this.#loneSurrogate(this.#offset + i, this.#high);
          this.#escape = 0;
        } else {
          throw this.#malformed(this.#offset + i, `invalid escape '\\${String.fromCharCode(b)}'`);
        }
        i++;
      } else {
        const digit = hexValue(b);
        if (digit < 0)
          throw this.#malformed(this.#offset + i, 'a \\u escape needs four hex digits');
        this.#escaped = this.#escaped * 16 + digit;
        if (++this.#escape === 6) this.#unit(this.#offset + i);
        i++;
      }
    }
    if (this.#isKey) this.#keyParts.push(chunk.subarray(begin));
    return i;
  }

  /** A \uXXXX escape is complete: a pair of surrogates is fine, one alone is not. */
  #unit(at: number): void {
    const code = this.#escaped;
    this.#escape = 0;
    if (this.#high) {
      if (code < 0xdc00 || code > 0xdfff) throw this.#loneSurrogate(at, this.#high);
      this.#high = 0;
      return;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      this.#high = code;
      return;
    }
    if (code >= 0xdc00 && code <= 0xdfff) throw this.#loneSurrogate(at, code);
    if (code === 0) throw this.problem('contains U+0000 (NUL), which PostgreSQL cannot store', at);
  }

  #startString(isKey: boolean, i: number): number {
    [this.#inString, this.#isKey, this.#keyParts] = [true, isKey, []];
    if (isKey) this.#frames.at(-1)!.key = undefined;
    return i + 1;
  }

  #endString(chunk: Uint8Array, begin: number, i: number): number {
    this.#inString = false;
    if (this.#isKey) {
      this.#keyParts.push(chunk.subarray(begin, i));
      this.#frames.at(-1)!.key =
        this.#keyParts.length === 1 ? this.#keyParts[0] : Buffer.concat(this.#keyParts);
      this.#keyParts = [];
      this.#expect = colon;
    } else {
      this.#endValue(this.#offset + i + 1);
    }
    return i + 1;
  }

  #endScalar(at: number): void {
    const token = this.#scalar!;
    this.#scalar = undefined;
    if (!scalar.test(token))
      throw this.#malformed(at - token.length, `'${token}' is not a JSON value`);
    this.#endValue(at);
  }

  #open(object: boolean, at: number): void {
    if (this.#frames.length >= this.#o.maxDepth) {
      throw this.problem(
        `nested deeper than ${this.#o.maxDepth} levels; a product's attributes may nest ${this.#o.maxDepth - 2} levels`,
        at,
      );
    }
    this.#frames.push({ object, index: 0, key: undefined });
    this.#expect = object ? keyOrClose : valueOrClose;
  }

  #close(at: number, i: number): number {
    this.#frames.pop();
    if (this.#frames.length === 0) {
      this.#expect = done;
      this.#batches.flush(at);
    } else {
      this.#endValue(at + 1);
    }
    return i + 1;
  }

  /** A value begins; in the feed's array, that is a product. */
  #beginValue(at: number): void {
    if (this.#frames.length === 1) this.#batches.begin(at, this.#lines.lineAt(at));
  }

  /** A value ended just before `end`; in the feed's array, that is a product. */
  #endValue(end: number): void {
    this.#expect = commaOrClose;
    if (this.#frames.length !== 1) return;
    if (++this.#items > this.#o.maxItems) {
      throw new FeedProblem({
        line: this.#lines.lineAt(end),
        problem: `at most ${this.#o.maxItems} products per feed; split the catalog or contact us`,
        kind: 'too_many',
      });
    }
    this.#batches.end(end);
  }

  #malformed(at: number, message: string): FeedProblem {
    return new FeedProblem({
      line: this.#lines.lineAt(at),
      path: this.#path(),
      problem: `malformed JSON (${message})`,
      kind: 'malformed',
    });
  }

  #loneSurrogate(at: number, unit: number): FeedProblem {
    const hex = unit.toString(16).toUpperCase();
    return this.problem(
      `contains a lone surrogate (U+${hex}), which is not Unicode text; PostgreSQL cannot store it`,
      at,
    );
  }

  /** `products[2].name`: where the scanner is now (the field being read, when in one). */
  #path(): string | undefined {
    if (this.#frames.length === 0) return undefined;
    let path = 'products';
    for (const frame of this.#frames) {
      if (!frame.object) path += `[${frame.index}]`;
      else if (frame.key) path += fieldSegment(decodeKey(frame.key));
    }
    return path;
  }
}

function decodeKey(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
