// The ingestion API's routes, by hand: they are plain express routes without declared schemas
// (server/src/ingest/**). Keep this list in step with them; the fuzz test calls each one.
import fc from 'fast-check';
import { bodyFor, hostileSegment, queryFor } from './requests.ts';
import type { Body } from './requests.ts';
import type { JsonSchema } from './schema-arbitrary.ts';

type IngestRequest = { url: string; method: string; body?: Body };
type IngestRoute = { method: string; template: string; request: fc.Arbitrary<IngestRequest> };

const noRefs = (): JsonSchema => ({});
const site = fc.oneof(
  fc.constantFrom('fuzz-0', 'fuzz-3', 'no-such-site'),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,8}$/),
  hostileSegment,
);
const importId = fc.oneof(fc.uuid(), fc.constantFrom('no-such-import'), hostileSegment);
const page = queryFor(
  [
    { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 10_000 } },
    { name: 'offset', schema: { type: 'integer', minimum: 0 } },
  ],
  noRefs,
);

const product: JsonSchema = {
  type: 'object',
  properties: {
    sku: { type: 'string', pattern: '^[A-Z]-[0-9]{1,4}$' },
    name: { type: 'string', maxLength: 20 },
    price: { type: 'number', minimum: 0, maximum: 1_000 },
    gtin: { type: 'string', pattern: '^[0-9]{13}$' },
  },
  required: ['sku', 'name', 'price'],
};
const feed: JsonSchema = { type: 'array', items: product, maxItems: 5 };

const get = (template: string, path: fc.Arbitrary<string>): IngestRoute => ({
  method: 'GET',
  template,
  request: path.map((url) => ({ method: 'GET', url })),
});

export const ingestionRoutes: IngestRoute[] = [
  get('/healthz', fc.constant('/healthz')),
  get('/readyz', fc.constant('/readyz')),
  get('/ingest/v1/journal', fc.constant('/ingest/v1/journal')),
  get(
    '/ingest/v1/imports/:id',
    importId.map((id) => `/ingest/v1/imports/${id}`),
  ),
  get(
    '/ingest/v1/pins/:siteId',
    site.map((s) => `/ingest/v1/pins/${s}`),
  ),
  ...['products', 'snapshots', 'exports'].map((list) =>
    get(
      `/ingest/v1/sites/:siteId/${list}`,
      fc.tuple(site, page).map(([s, q]) => `/ingest/v1/sites/${s}/${list}${q ? `?${q}` : ''}`),
    ),
  ),
  {
    method: 'POST',
    template: '/ingest/v1/sites/:siteId/imports',
    request: fc
      .tuple(
        site,
        bodyFor({ schema: feed, resolve: noRefs, csv: true }),
        fc.option(fc.constantFrom('feed-1', '', 'x'.repeat(300), 'key\u00ff'), { nil: undefined }),
      )
      .map(([s, body, key]) => ({
        method: 'POST',
        url: `/ingest/v1/sites/${s}/imports`,
        body:
          key === undefined
            ? body
            : { ...body, headers: { ...body.headers, 'idempotency-key': key } },
      })),
  },
];
