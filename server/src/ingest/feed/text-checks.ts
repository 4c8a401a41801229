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

/** The 1-based line of byte `offset` in a feed held as consecutive pieces of text. */
export function lineAt(pieces: readonly string[], offset: number): number {
  let start = 0;
  let line = 1;
  for (const piece of pieces) {
    const bytes = Buffer.from(piece);
    if (start + bytes.length > offset) return line + newlinesIn(bytes, offset - start);
    line += newlinesIn(bytes);
    start += bytes.length;
  }
  return line;
}
