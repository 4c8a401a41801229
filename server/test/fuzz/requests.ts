// Requests for the fuzz test: path segments, query strings and bodies, each either built from the
// route's schema or broken the way clients and attackers break them.
import { brotliCompressSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { hostileValue, mutated, validValue } from './schema-arbitrary.ts';
import type { Hints, JsonSchema, Resolve } from './schema-arbitrary.ts';

export type Body = { headers: Record<string, string>; data: Buffer; label: string };

/** Path segments as they appear on the wire (already percent-encoded, or not validly). */
export const hostileSegment = fc.constantFrom(
  '%ff',
  '%',
  '%zz',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%C0%80',
  '%F4%90%80%80',
  '2147483648',
  '-1',
  '0',
  '1.5',
  '1e309',
  '99999999999999999999',
  'r-2147483648',
  'r-',
  '%2e%2e',
  'x'.repeat(300),
  '%F0%9F%8D%B5',
  '%20',
  'null',
  '%3Cscript%3E',
  '%2F',
);

/** Query values as they appear on the wire. */
export const hostileQueryValue = fc.constantFrom(
  '',
  '0',
  '-1',
  'abc',
  '2147483648',
  '1e400',
  '%00',
  'x%00y',
  '%ff',
  '%',
  '9223372036854775808',
  'NaN',
  'Infinity',
  '-100000-01-01',
  '275760-09-14',
  '%ED%A0%80',
  'a%3Db%3Dc',
  '%27',
);

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');
const typed = (type: string) => ({ 'content-type': type });

/** Bodies that never were valid, whatever the route. */
const brokenBodies: Body[] = [
  ...['gzip', 'deflate', 'br', 'zstd'].map((encoding) => ({
    headers: { ...typed('application/json'), 'content-encoding': encoding },
    data: Buffer.from('this is not compressed'),
    label: `garbage ${encoding}`,
  })),
  {
    headers: { ...typed('application/json'), 'content-encoding': 'compress' },
    data: json({}),
    label: 'unknown encoding',
  },
  {
    headers: { ...typed('application/json'), 'content-encoding': 'gzip, br' },
    data: brotliCompressSync(gzipSync(json({}))),
    label: 'stacked encodings',
  },
  { headers: typed('application/json'), data: Buffer.from('{"a":'), label: 'truncated JSON' },
  { headers: typed('application/json'), data: Buffer.from(''), label: 'empty JSON' },
  { headers: typed('application/json'), data: Buffer.from('"text"'), label: 'JSON string' },
  { headers: typed('application/json'), data: Buffer.from('[1e999]'), label: 'huge number' },
  {
    headers: typed('application/json'),
    data: Buffer.from('{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'),
    label: 'prototype keys',
  },
  {
    headers: typed('application/json'),
    data: Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`),
    label: 'deep arrays',
  },
  { headers: typed('application/json; charset=utf-16'), data: json({}), label: 'utf-16' },
  { headers: typed('application/json; charset=latin1'), data: json({}), label: 'latin1' },
  { headers: typed('text/plain'), data: json({}), label: 'text/plain' },
  { headers: typed('application/x-www-form-urlencoded'), data: Buffer.from('a=1'), label: 'form' },
  {
    headers: typed('multipart/form-data; boundary=x'),
    data: Buffer.from('--x--'),
    label: 'multipart',
  },
  { headers: {}, data: json({}), label: 'no content type' },
];

/** A JSON body for a schema: valid, mutated, compressed, or broken. */
export function bodyFor(options: {
  schema: JsonSchema;
  resolve: Resolve;
  hints?: Hints;
  csv: boolean;
}): fc.Arbitrary<Body> {
  const valid = validValue(options.schema, options.resolve, options.hints);
  const asJson = (label: string) => (value: unknown) => ({
    headers: typed('application/json'),
    data: json(value),
    label,
  });
  return fc.oneof(
    { weight: 6, arbitrary: valid.map(asJson('valid')) },
    { weight: 4, arbitrary: mutated(valid).map(asJson('mutated')) },
    {
      weight: 1,
      arbitrary: valid.map((value) => ({
        headers: { ...typed('application/json'), 'content-encoding': 'gzip' },
        data: gzipSync(json(value)),
        label: 'valid gzip',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({
        headers: typed('application/json'),
        data: Buffer.from(bytes),
        label: 'random bytes',
      })),
    },
    { weight: 2, arbitrary: fc.constantFrom(...brokenBodies) },
    ...(options.csv ? [{ weight: 3, arbitrary: csvBody }] : []),
  );
}

const csvField = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('"', '""', '"a,b"', '\u0000', '\ud800', 'v1', 'v9', ''),
);

const csvBody: fc.Arbitrary<Body> = fc
  .tuple(
    fc.constantFrom('key,name', 'key,name,version', 'key,name,label.tier', 'name', ''),
    fc.array(fc.array(csvField, { minLength: 1, maxLength: 4 }), { maxLength: 4 }),
  )
  .map(([header, rows]) => ({
    headers: typed('text/csv'),
    data: Buffer.from([header, ...rows.map((r) => r.join(','))].join('\n')),
    label: 'csv',
  }));

/** A query string for the given parameters: valid values, hostile ones, repeats and strangers. */
export function queryFor(
  params: { name: string; schema: JsonSchema }[],
  resolve: Resolve,
  hints: Hints = {},
): fc.Arbitrary<string> {
  const pairs = params.map(({ name, schema }) =>
    fc.option(
      fc.oneof(
        {
          weight: 6,
          arbitrary: (hints[name] ?? validValue(schema, resolve)).map((v) =>
            (Array.isArray(v) ? v : [v]).map((x) => `${name}=${encodeURIComponent(String(x))}`),
          ),
        },
        { weight: 2, arbitrary: hostileQueryValue.map((v) => [`${name}=${v}`]) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(hostileQueryValue, hostileQueryValue)
            .map(([a, b]) => [`${name}=${a}`, `${name}=${b}`]),
        },
        { weight: 1, arbitrary: fc.constant([`${name}[]=1`, `${name}[a]=2`]) },
      ),
      { nil: [] as string[], freq: 2 },
    ),
  );
  const stranger = fc.oneof(
    { weight: 4, arbitrary: fc.constant([] as string[]) },
    { weight: 1, arbitrary: hostileQueryValue.map((v) => [`unexpected=${v}`]) },
  );
  return fc.tuple(stranger, ...pairs).map((parts) => parts.flat().join('&'));
}

/** Anything in a JSON body may be hostile; re-exported for hand-written ingestion bodies. */
export { hostileValue };
