// Text PostgreSQL cannot store, and where a byte offset falls in a feed's lines.

/** Why PostgreSQL could not store `text` (in a text or jsonb column), or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains U+0000 (NUL), which PostgreSQL cannot store';
  if (!text.isWellFormed()) {
    const unit = text.charCodeAt(loneSurrogateAt(text)).toString(16).toUpperCase();
    return `contains a lone surrogate (U+${unit}), which is not Unicode text; PostgreSQL cannot store it`;
  }
  return undefined;
}

function loneSurrogateAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return 0;
}

/**
 * The offset of the first byte of `bytes` that does not start a valid UTF-8 sequence (overlong
 * forms, encoded surrogates and code points past U+10FFFF included), or -1. A sequence cut off by
 * the end of `bytes` counts as valid unless `final`: the rest may be in the next chunk. Only run
 * once a decoder has already said the bytes are not UTF-8, to say where.
 */
export function invalidUtf8At(bytes: Uint8Array, final: boolean): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let size: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [size, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [size, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [size, min] = [4, 0x10000];
    else return i;
    let code = b & (0xff >> (size + 1));
    for (let k = 1; k < size; k++) {
      if (i + k >= bytes.length) return final ? i : -1;
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += size;
  }
  return -1;
}

export function newlinesIn(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let i = bytes.indexOf(10); i !== -1 && i < end; i = bytes.indexOf(10, i + 1)) count++;
  return count;
}

/**
 * Says on which line a byte offset of a feed is, as its chunks go by, keeping only the current
 * chunk. An offset before it belongs to a token that began earlier and is still being read: a
 * JSON string (which holds no raw newline) or a CSV record (which reports its own line), so the
 * line where the current chunk starts is the line of that offset.
 */
export class LineCounter {
  #start = 0;
  #line = 1;
  #chunk: Uint8Array = new Uint8Array(0);

  /** Call with each chunk before the scanner reads it. */
  next(chunk: Uint8Array): void {
    this.#start += this.#chunk.length;
    this.#line += newlinesIn(this.#chunk);
    this.#chunk = chunk;
  }

  lineAt(offset: number): number {
    if (offset <= this.#start) return this.#line;
    return this.#line + newlinesIn(this.#chunk, offset - this.#start);
  }
}

/**
 * `text` in slices of about `size` characters, never splitting a surrogate pair (each slice may be
 * encoded to UTF-8 on its own): to encode a large text a slice at a time, between which the event
 * loop can turn, instead of in one long step.
 */
export function* textSlices(text: string, size: number): Generator<string> {
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    yield text.slice(start, end);
    start = end;
  }
}
