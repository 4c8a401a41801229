import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createZstdDecompress,
} from 'node:zlib';
import { AppError, ValidationError } from '../../lib/errors.ts';
import { feedTypeOf } from '../feed.ts';
import type { FeedType } from '../feed.ts';

const maxIdempotencyKey = 200;

/**
 * What a feed's request says in its headers — its format, its idempotency key — checked before
 * any of its body is read, and the body as a stream (`feedBody`).
 */
export function feedRequest(
  req: IncomingMessage,
  maxBytes: number,
): { contentType: FeedType; idempotencyKey?: string; body: AsyncIterable<Uint8Array> } {
  const header = req.headers['content-type'];
  const contentType = feedTypeOf(header);
  if (!contentType) {
    throw unsupported(
      'Content-Type',
      `Content-Type '${header ?? ''}' is not a feed format; send application/json (an array) or text/csv`,
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(header!)?.[1];
  if (charset && !/^(utf-?8|us-ascii)$/i.test(charset)) {
    throw unsupported(
      'Content-Type',
      `charset '${charset}' is not supported; send the feed as UTF-8`,
    );
  }
  const idempotencyKey = req.headers['idempotency-key'];
  if (
    idempotencyKey !== undefined &&
    (typeof idempotencyKey !== 'string' ||
      !idempotencyKey ||
      idempotencyKey.length > maxIdempotencyKey)
  ) {
    throw new ValidationError(`Idempotency-Key: must be 1 to ${maxIdempotencyKey} characters`, [
      { path: 'Idempotency-Key', message: `1 to ${maxIdempotencyKey} characters` },
    ]);
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && !decoders[encoding]) {
    throw unsupported(
      'Content-Encoding',
      `Content-Encoding '${encoding}' is not supported; send gzip, deflate, br, zstd or none`,
    );
  }
  if (encoding === 'identity' && Number(req.headers['content-length']) > maxBytes)
    throw tooLarge(maxBytes);
  return { contentType, idempotencyKey, body: feedBody({ req, maxBytes, encoding }) };
}

/**
 * The body as a stream of bytes, decompressed (Content-Encoding gzip, deflate, br or zstd)
 * and counted as it comes: past `maxBytes` it stops with a 413, whatever Content-Length said. An
 * error of the client's (a broken gzip stream, a request cut off) is a 400 — the client may well
 * be gone, but it is not the server's fault. Stopping early leaves the request to Node, which
 * discards the rest of it, so the refusal still reaches the client.
 */
async function* feedBody(options: {
  req: IncomingMessage;
  maxBytes: number;
  encoding: string;
}): AsyncGenerator<Uint8Array> {
  const { req, maxBytes, encoding } = options;
  const decoder = decoders[encoding]?.();
  let source: Readable = req;
  if (decoder) {
    source = req.pipe(decoder);
    req.once('error', (err) => decoder.destroy(err));
  }
  let received = 0;
  try {
    for await (const chunk of source.iterator({
      destroyOnReturn: false,
    }) as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) throw tooLarge(maxBytes);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const what = decoder
      ? `not valid ${encoding} data (${message})`
      : 'the request ended before its body was complete';
    // The client's fault (and it may be gone): a 400, and nothing was journaled.
    throw new AppError({
      status: 400,
      code: 'invalid_body',
      message: `body: ${what}`,
      details: [{ path: 'body', message: what }],
    });
  } finally {
    if (decoder) {
      req.unpipe(decoder);
      decoder.destroy();
    }
  }
}

const decoders: Record<string, (() => Transform) | undefined> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
  zstd: createZstdDecompress,
};

function unsupported(header: string, message: string): AppError {
  return new AppError({
    status: 415,
    code: 'unsupported_media_type',
    message,
    details: [{ path: header, message: 'unsupported' }],
  });
}

function tooLarge(maxBytes: number): AppError {
  return new AppError({
    status: 413,
    code: 'payload_too_large',
    message: `body: larger than the ${maxBytes} bytes a feed may have (INGEST_MAX_FEED_BYTES); split the catalog`,
    details: [{ path: 'body', message: 'too large' }],
  });
}
