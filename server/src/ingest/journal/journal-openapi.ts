// The ingestion API's OpenAPI document for what import jobs call: posting a feed and following
// it. Its routes are plain express (feeds are streamed, not parsed into a body), so the document
// is declared here, next to them, from zod schemas like the control plane's.
import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { maxFeedDepth, maxFeedItems } from '../feed.ts';

const errorSchema = z
  .object({
    code: z.string(),
    message: z.string().describe('what was wrong and what to do; for a feed, its line and field'),
    details: z.array(
      z.object({ path: z.string().optional(), line: z.number().optional(), message: z.string() }),
    ),
  })
  .meta({ id: 'Error' });

const Product = z
  .object({
    sku: z.union([z.string(), z.number()]).describe('unique in the feed; at most 100 characters'),
    name: z.string(),
    price: z.union([z.number(), z.string()]).describe('0 to 9,999,999,999'),
    gtin: z.union([z.string(), z.number()]).optional(),
  })
  .catchall(z.unknown())
  .describe('Other fields are kept as the product’s attributes.')
  .meta({ id: 'Product' });

const Accepted = z
  .object({
    importId: z.string(),
    siteId: z.string(),
    state: z.enum(['queued', 'processing', 'done', 'failed']),
    position: z.number().int().describe('journal position: a site’s imports are processed in it'),
  })
  .meta({ id: 'AcceptedImport' });

const Import = z
  .object({
    id: z.string(),
    siteId: z.string(),
    position: z.number().int(),
    state: z.enum(['queued', 'processing', 'done', 'failed']),
    version: z.string().nullable().describe('the pipeline version that processed it'),
    received: z.number().int().nullable(),
    imported: z.number().int().nullable(),
    rejected: z.number().int().nullable(),
    rejections: z.array(
      z.object({ index: z.number(), sku: z.string().optional(), reason: z.string() }),
    ),
    errors: z.number().int(),
    failed: z.boolean(),
    failure: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    receivedAt: z.string(),
    processedAt: z.string().nullable(),
    reportedAt: z.string().nullable(),
  })
  .meta({ id: 'Import' });

const idempotencyKey = `Send one with every feed: a retry with the same key (after a timeout, a
lost connection, a 5xx) returns the import already journaled (200) instead of importing the feed
twice. Without it, a retry of a feed whose 202 was lost is a second import. 1 to 200 characters,
unique per site; the same key with a different feed is refused (422).`;

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorSchema } },
});

function buildDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token of the control plane: role `import` to post feeds and follow them.',
  });
  registry.registerPath({
    method: 'post',
    path: '/ingest/v1/sites/{siteId}/imports',
    tags: ['imports'],
    summary: 'Journal a feed for a site; it is processed with the site’s pinned version',
    description: `A feed is the site's whole catalog: a JSON array of products, or CSV with a header row (sku,name,price,gtin,...), UTF-8, at most INGEST_MAX_FEED_BYTES (default 50 MiB; gzip, deflate or br accepted) and ${maxFeedItems.toLocaleString('en-US')} products, nesting at most ${maxFeedDepth} levels. It is read as it streams in and checked before anything is kept: text PostgreSQL cannot store (U+0000, lone surrogates) and malformed input are refused with the line and field. The answer comes as soon as the feed is journaled, whatever the backlog; follow the import at the Location given.\n\n**Idempotency-Key.** ${idempotencyKey.replace(/\n/g, ' ')}`,
    security: [{ bearer: [] }],
    request: {
      params: z.object({ siteId: z.string().describe('the site key') }),
      headers: z.object({
        'idempotency-key': z.string().min(1).max(200).optional().describe('strongly recommended'),
      }),
      body: {
        required: true,
        content: {
          'application/json': { schema: z.array(Product) },
          'text/csv': { schema: z.string() },
        },
      },
    },
    responses: {
      202: {
        description: 'Journaled; it will be processed in the site’s journal order',
        content: { 'application/json': { schema: Accepted } },
      },
      200: {
        description: 'Already journaled under this Idempotency-Key: the same import, not a new one',
        content: { 'application/json': { schema: Accepted } },
      },
      400: error(
        'The feed is malformed or holds what cannot be stored: `details` has line and path',
      ),
      401: error('Missing or unknown token'),
      403: error('The token may not post imports for this site'),
      409: error('The site has no pinned version yet (Retry-After)'),
      413: error('Larger than INGEST_MAX_FEED_BYTES, or more products than a feed may hold'),
      415: error('Not application/json or text/csv, not UTF-8, or an unknown Content-Encoding'),
      422: error('The Idempotency-Key was used for a different feed of this site'),
      503: error(
        'Pins not read from the control plane yet, or no pipeline runs the site’s version (Retry-After)',
      ),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/ingest/v1/imports/{id}',
    tags: ['imports'],
    summary: 'An import: queued → processing → done (or failed, the catalog left as it was)',
    security: [{ bearer: [] }],
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: { description: 'The import', content: { 'application/json': { schema: Import } } },
      404: error('No such import'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/ingest/v1/journal',
    tags: ['imports'],
    summary: 'The backlog: imports by state and the oldest waiting one',
    security: [{ bearer: [] }],
    responses: {
      200: {
        description: 'Counts',
        content: {
          'application/json': {
            schema: z.object({
              queued: z.number().int(),
              done: z.number().int(),
              failed: z.number().int(),
              oldestQueuedAt: z.string().nullable(),
            }),
          },
        },
      },
    },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Pinion ingestion API',
      version: '1',
      description: 'Import jobs post each site’s catalog feed here and follow it until processed.',
    },
  });
}

let document: ReturnType<typeof buildDocument> | undefined;

/** The document, built on first use. */
export function journalOpenApi() {
  document ??= buildDocument();
  return document;
}
