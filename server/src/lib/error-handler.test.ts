// Framework errors (express's router, body-parser, raw-body, zlib) keep their 4xx status and get
// a stable code and a sentence; and a request without the right token is refused before its
// body is read. Each trigger is sent over HTTP to the real control plane.
import { once } from 'node:events';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync, zstdCompressSync } from 'node:zlib';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../../test/control-plane.ts';
import type { TestControlPlane } from '../../test/control-plane.ts';
import { errorHandler } from './error-handler.ts';

let cp: TestControlPlane;
let viewer: string;
const countTokens = () => cp.db.apiToken.count();

beforeAll(async () => {
  cp = await startControlPlane();
  viewer = await cp.tokenFor('viewer');
});
afterAll(() => cp.close());

const newToken = { name: 'made-by-a-test', role: 'viewer' };
const json = (body: unknown) => Buffer.from(JSON.stringify(body));

describe('malformed URLs', () => {
  it.each(['%ff', '%', 'a%zz', '%ED%A0%80'])(
    'answers 400 malformed_url for a path segment %s',
    async (segment) => {
      const res = await cp.api('GET', `/api/v1/sites/${segment}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('malformed_url');
      expect(res.body.message).toMatch(/^path: .* encode "%" as %25$/);
    },
  );
});

describe('bodies that cannot be read', () => {
  const post = (raw: Buffer | string, headers: Record<string, string>) =>
    cp.api('POST', '/api/v1/tokens', {
      raw,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('reads a body sent with each Content-Encoding it supports', async () => {
    const before = await countTokens();
    const body = json({ ...newToken, name: 'compressed' });
    for (const [encoding, data] of [
      ['gzip', gzipSync(body)],
      ['deflate', deflateSync(body)],
      ['br', brotliCompressSync(body)],
      ['zstd', zstdCompressSync(body)],
    ] as const) {
      const res = await post(data, { 'content-encoding': encoding });
      expect(res.status, `${encoding}: ${JSON.stringify(res.body)}`).toBe(201);
    }
    expect(await countTokens()).toBe(before + 4);
  });

  it.each(['gzip', 'deflate', 'br', 'zstd'])(
    'answers 400 invalid_body for a body that is not valid %s, and creates nothing',
    async (encoding) => {
      const before = await countTokens();
      const res = await post(Buffer.from('this is not compressed at all'), {
        'content-encoding': encoding,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'invalid_body',
        details: [{ path: 'body' }],
      });
      expect(res.body.message).toContain(`not valid ${encoding} data`);
      expect(await countTokens()).toBe(before);
    },
  );

  it('answers 400 invalid_body for a truncated gzip body', async () => {
    const whole = gzipSync(json(newToken));
    const res = await post(whole.subarray(0, whole.length - 12), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_body');
  });

  it('answers 415 for a Content-Encoding it does not know', async () => {
    const res = await post(json(newToken), { 'content-encoding': 'compress' });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
    expect(res.body.message).toContain('Content-Encoding "compress" is not supported');
  });

  it('answers 415 for a JSON body in a charset other than UTF', async () => {
    const res = await post(json(newToken), { 'content-type': 'application/json; charset=latin1' });
    expect(res.status).toBe(415);
    expect(res.body.message).toContain('charset "latin1" is not supported');
  });

  it('answers 415 for a body without a Content-Type, or with another one', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await post('{}', { 'content-type': type });
      expect(res.status, type).toBe(415);
      expect(res.body.message).toContain('send the body as application/json');
    }
    const none = await cp.api('POST', '/api/v1/tokens', { raw: json(newToken) });
    expect(none.status).toBe(415);
  });

  it('answers 415 naming a Content-Type header it cannot parse', async () => {
    for (const type of ['/', 'a b', 'application/']) {
      const res = await post(json(newToken), { 'content-type': type });
      expect(res.status, type).toBe(415);
      expect(res.body.message).toContain(`(got ${type})`);
    }
  });

  it('answers 400 invalid_json for malformed JSON and 413 for a body over the limit', async () => {
    const bad = await post('{"name": ', {});
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_json');
    const big = await post(json({ ...newToken, name: 'x'.repeat(1_100_000) }), {});
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'payload_too_large', details: [{ path: 'body' }] });
  });

  it('answers 400 when the body ends before its Content-Length', async () => {
    // The client half-closes mid-body; Node's parser answers on the open half.
    const reply = await rawExchange(
      cp.url,
      'POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        `Authorization: Bearer ${initialTokens.admin}\r\nContent-Length: 100\r\n\r\n{"name":`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe('a client that goes away mid-body', () => {
  it('is a client error, never logged as an unhandled one', async () => {
    const logged: { level: number; msg: string }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => logged.push(JSON.parse(line)) },
    );
    const handled = Promise.withResolvers<unknown>();
    const app = express();
    app.post('/', express.json(), (_req, res) => void res.status(204).end());
    app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
      errorHandler(logger)(err, req, res, next);
      handled.resolve(err);
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
        () => socket.resetAndDestroy(),
      );
    });
    socket.on('error', () => {});
    const err = (await handled.promise) as { type?: string };
    server.close();
    expect(err.type).toBe('request.aborted');
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('authentication comes before the body', () => {
  const garbageGzip = {
    raw: Buffer.from('not gzip'),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  };

  it('answers 401 to a garbage gzip body without a token, and 403 with a weaker one', async () => {
    const anonymous = await cp.api('POST', '/api/v1/tokens', { ...garbageGzip, token: null });
    expect(anonymous.status).toBe(401);
    const weak = await cp.api('POST', '/api/v1/tokens', { ...garbageGzip, token: viewer });
    expect(weak.status).toBe(403);
  });

  it('answers 401, not 413, to a bulk import over the limit without a token', async () => {
    const huge = Buffer.alloc(65 * 1024 * 1024, 'a');
    const res = await cp.api('POST', '/api/v1/sites/import', {
      raw: huge,
      token: null,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('answers 403, not 400, to malformed JSON from a token without the role', async () => {
    const res = await cp.api('POST', '/api/v1/sites', {
      raw: '{"key":',
      token: viewer,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(403);
  });
});

/** Sends raw bytes, half-closes, and returns everything the server wrote back. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}
