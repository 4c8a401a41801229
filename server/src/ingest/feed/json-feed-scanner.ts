import { TokenParser, Tokenizer, TokenType } from '@streamparser/json';
import type { ParsedTokenInfo } from '@streamparser/json';
import { FeedProblem, fieldSegment } from './feed-problem.ts';
import { unstorableText } from './text-checks.ts';

/** Where the scanner is: one frame per open array or object, the feed's array first. */
type Frame = { object: boolean; index: number; key: string | undefined; expectKey: boolean };

export type FeedScannerOptions = {
  maxItems: number;
  maxDepth: number;
  /** Each product as it is complete, in feed order. */
  onItem?: (item: unknown) => void;
};

/**
 * Reads a JSON feed — an array of products — a chunk at a time, with memory bounded by one
 * product: a tokenizer and a token parser that hands over each element of the top-level array
 * and forgets it. Refuses, with the byte offset and path of the first one: malformed JSON, a
 * top-level value that is not an array, nesting deeper than `maxDepth`, more than `maxItems`
 * products, and strings (values or keys) PostgreSQL cannot store — U+0000 and lone surrogates,
 * raw or as `\u` escapes.
 */
export class JsonFeedScanner {
  readonly #options: FeedScannerOptions;
  readonly #tokenizer = new Tokenizer();
  readonly #parser = new TokenParser({ paths: ['$.*'], keepStack: false });
  readonly #frames: Frame[] = [];
  #written = 0;
  #items = 0;
  #tokens = 0;
  #lastOffset = 0;

  constructor(options: FeedScannerOptions) {
    this.#options = options;
    this.#tokenizer.onToken = (token) => this.#token(token);
    this.#parser.onValue = ({ value }) => {
      if (++this.#items > options.maxItems) {
        throw new FeedProblem({
          place: { offset: this.#lastOffset },
          problem: `at most ${options.maxItems} products per feed; split the catalog or contact us`,
          kind: 'too_many',
        });
      }
      options.onItem?.(value);
    };
  }

  /** The next bytes of the feed, as received (UTF-8). Throws a FeedProblem at the first one. */
  write(chunk: Uint8Array): void {
    // A raw NUL is malformed JSON anyway; named for what it is, at the field it is in.
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      this.#write(chunk.subarray(0, nul));
      throw this.#problem(this.#written, unstorableText('\u0000')!);
    }
    this.#write(chunk);
  }

  /** The feed is complete: returns the number of products. */
  async end(): Promise<number> {
    if (this.#tokens === 0) {
      throw new FeedProblem({ place: { offset: this.#written }, problem: 'the feed is empty' });
    }
    try {
      this.#tokenizer.end();
    } catch (err) {
      if (err instanceof FeedProblem) throw err;
      // Otherwise the tokenizer stopped mid-token: after the array, that is trailing garbage.
      if (this.#parser.isEnded) throw this.#malformed(err);
    }
    if (!this.#parser.isEnded) {
      throw new FeedProblem({
        place: { offset: this.#written },
        path: this.path(),
        problem: 'malformed JSON (the feed ends before its array is closed)',
        kind: 'malformed',
      });
    }
    return this.#items;
  }

  #write(bytes: Uint8Array): void {
    try {
      this.#tokenizer.write(bytes);
    } catch (err) {
      throw err instanceof FeedProblem ? err : this.#malformed(err);
    }
    this.#written += bytes.length;
  }

  #malformed(err: unknown): FeedProblem {
    // The tokenizer names the absolute position; the parser fails on the token just given.
    const message = err instanceof Error ? err.message : String(err);
    const at = /absolute position "(\d+)"/.exec(message);
    return new FeedProblem({
      place: { offset: at ? Number(at[1]) : this.#lastOffset },
      path: this.path(),
      problem: `malformed JSON (${message})`,
      kind: 'malformed',
    });
  }

  #token(info: ParsedTokenInfo): void {
    this.#tokens++;
    this.#lastOffset = info.offset;
    const top = this.#frames.at(-1);
    switch (info.token) {
      case TokenType.LEFT_BRACKET:
      case TokenType.LEFT_BRACE:
        this.#open(info.token === TokenType.LEFT_BRACE);
        break;
      case TokenType.RIGHT_BRACKET:
      case TokenType.RIGHT_BRACE:
        this.#frames.pop();
        break;
      case TokenType.COMMA:
        if (top?.object) top.expectKey = true;
        else if (top) top.index++;
        break;
      case TokenType.COLON:
        if (top) top.expectKey = false;
        break;
      case TokenType.STRING: {
        if (this.#frames.length === 0) throw this.#notAnArray();
        const isKey = top?.object === true && top.expectKey;
        if (isKey) top.key = info.value as string;
        const problem = unstorableText(info.value as string);
        if (problem)
          throw this.#problem(info.offset, isKey ? `${problem} (in a field name)` : problem);
        break;
      }
      default:
        if (this.#frames.length === 0) throw this.#notAnArray();
    }
    this.#parser.write(info);
  }

  #open(object: boolean): void {
    if (this.#frames.length === 0 && object) throw this.#notAnArray();
    if (this.#frames.length >= this.#options.maxDepth) {
      throw this.#problem(
        this.#lastOffset,
        `nested deeper than ${this.#options.maxDepth} levels; a feed is an array of products whose attributes nest at most ${this.#options.maxDepth - 2} levels`,
      );
    }
    this.#frames.push({ object, index: 0, key: undefined, expectKey: true });
  }

  #notAnArray(): FeedProblem {
    return new FeedProblem({
      place: { offset: this.#lastOffset },
      problem: 'a feed is a JSON array of products (or CSV with a header row)',
    });
  }

  #problem(offset: number, problem: string): FeedProblem {
    return new FeedProblem({ place: { offset }, path: this.path(), problem });
  }

  /** `products[2].name`: where the scanner is now. */
  path(): string | undefined {
    if (this.#frames.length === 0) return undefined;
    let path = 'products';
    for (const frame of this.#frames) {
      if (!frame.object) path += `[${frame.index}]`;
      else if (frame.key !== undefined) path += fieldSegment(frame.key);
    }
    return path;
  }
}
