import express from 'express';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Db } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { errorHandler, notFoundHandler } from '../lib/error-handler.ts';
import type { Logger } from '../lib/logger.ts';
import { securityHeaders } from '../lib/security-headers.ts';
import { useFriendlyZodMessages } from '../lib/validation-messages.ts';
import { findCatalog } from './catalog-store.ts';
import { exportRoutes } from './exports/export-routes.ts';
import { journalOpenApi } from './journal/journal-openapi.ts';
import { journalRoutes } from './journal/journal-routes.ts';
import type { PinReader } from './pin-reader.ts';
import type { PipelineLookup } from './pipelines/index.ts';
import type { ReportingHealth } from './sensor-heartbeat.ts';
import { pageFrom, siteFrom } from './site-param.ts';
import { snapshotRoutes } from './snapshots/snapshot-routes.ts';

export function createIngestApp(deps: {
  /** Authenticates every route below the health checks, before any body is read. */
  auth: RequestHandler;
  db: Db;
  pins: PinReader;
  pipelines: PipelineLookup;
  clock: Clock;
  maxFeedBytes: number;
  logger: Logger;
  onAccepted(siteKey: string): void;
  isProcessing(importId: string): boolean;
  /** This instance's reporting lag as its last heartbeat measured it (sensor health). */
  reporting(): ReportingHealth | undefined;
}) {
  useFriendlyZodMessages();
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(
    pinoHttp({
      logger: deps.logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    // Late reports do not make it unready: an instance that is behind must keep accepting imports.
    const reporting = deps.reporting() ?? null;
    const body = { ready: deps.pins.ready, synchronized: deps.pins.synchronized, reporting };
    res.status(deps.pins.ready ? 200 : 503).json(body);
  });

  // The documentation is public, like the control plane's /api/openapi.json.
  app.get('/ingest/openapi.json', (_req, res) => void res.json(journalOpenApi()));

  app.use(deps.auth);

  app.use(journalRoutes(deps));
  app.use(snapshotRoutes(deps));
  app.use(exportRoutes(deps));

  app.get('/ingest/v1/sites/:siteId/products', async (req, res) => {
    const siteKey = siteFrom(req.params.siteId);
    const page = pageFrom(req.query);
    const { count, products } = await findCatalog(deps.db, { siteKey, ...page });
    res.json({
      siteId: siteKey,
      count,
      products: products.map((p) => ({ ...p, price: p.price.toString() })),
    });
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
