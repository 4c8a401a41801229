import express from 'express';
import { pinoHttp } from 'pino-http';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { errorHandler, notFoundHandler } from '../lib/error-handler.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import { useFriendlyZodMessages } from '../lib/validation-messages.ts';
import { findCatalog, findImport } from './catalog-store.ts';
import { feedItems } from './feed.ts';
import type { createImportService } from './import-service.ts';
import type { PinReader } from './pin-reader.ts';

const SiteParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'is not a valid site key');
const Page = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  offset: z.coerce.number().int().min(0).default(0),
});

function siteFrom(value: unknown): string {
  const parsed = SiteParam.safeParse(value);
  if (!parsed.success)
    throw new ValidationError(`siteId: ${parsed.error.issues[0]!.message}`, [
      { path: 'siteId', message: parsed.error.issues[0]!.message },
    ]);
  return parsed.data;
}

export function createIngestApp(deps: {
  db: Db;
  pins: PinReader;
  imports: ReturnType<typeof createImportService>;
  logger: Logger;
}) {
  useFriendlyZodMessages();
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger: deps.logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    const body = { ready: deps.pins.ready, synchronized: deps.pins.synchronized };
    res.status(deps.pins.ready ? 200 : 503).json(body);
  });

  app.post(
    '/ingest/v1/sites/:siteId/imports',
    express.json({ limit: '50mb' }),
    express.text({ limit: '50mb', type: ['text/csv'] }),
    async (req, res) => {
      const siteKey = siteFrom(req.params.siteId);
      if (req.body === undefined) {
        throw new ValidationError(
          'body: send the feed as application/json (an array) or text/csv',
          [{ path: 'body', message: 'missing or unsupported Content-Type' }],
        );
      }
      const { record, rejected } = await deps.imports.importFeed({
        siteKey,
        items: feedItems(req.body),
      });
      res.status(201).json({
        importId: record.id,
        siteId: siteKey,
        version: record.version,
        received: record.received,
        imported: record.imported,
        rejected: record.rejected,
        rejections: rejected.slice(0, 100),
        durationMs: record.durationMs,
      });
    },
  );

  app.get('/ingest/v1/sites/:siteId/products', async (req, res) => {
    const siteKey = siteFrom(req.params.siteId);
    const page = Page.parse(req.query);
    const { count, products } = await findCatalog(deps.db, { siteKey, ...page });
    res.json({
      siteId: siteKey,
      count,
      products: products.map((p) => ({ ...p, price: p.price.toString() })),
    });
  });

  app.get('/ingest/v1/imports/:id', async (req, res) => {
    const record = await findImport(deps.db, String(req.params.id));
    if (!record) throw new NotFoundError(`import '${req.params.id}' does not exist`);
    res.json(record);
  });

  /** What this instance would do with a site's next import, and why. */
  app.get('/ingest/v1/pins/:siteId', (req, res) => {
    res.json({
      siteId: siteFrom(req.params.siteId),
      ...deps.pins.lookup(siteFrom(req.params.siteId)),
    });
  });

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
