import express from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { applyMigrations } from './db/migrate.ts';
import { staticVersionSource } from './features/versions/version-source.ts';
import { systemClock } from './lib/clock.ts';
import type { Clock } from './lib/clock.ts';
import { errorHandler, notFoundHandler } from './lib/error-handler.ts';
import { securityHeaders } from './lib/security-headers.ts';
import { useFriendlyZodMessages } from './lib/validation-messages.ts';
import { buildOpenApiDocument } from './http/openapi.ts';
import { mountRoutes } from './http/route.ts';
import type { Logger } from './lib/logger.ts';
import { allRoutes } from './routes.ts';
import { createServices } from './services.ts';
import type { Services } from './services.ts';

export type ControlPlane = {
  app: express.Express;
  services: Services;
  /** Set when no admin token existed and one was generated: print it once. */
  generatedAdminToken: string | undefined;
  setDraining(): void;
  close(): Promise<void>;
};

/** Migrates the database, syncs versions and tokens, and assembles the express app. */
export async function createControlPlane(options: {
  config: Config;
  database: Database;
  logger: Logger;
  clock?: Clock;
}): Promise<ControlPlane> {
  const { config, database, logger } = options;
  useFriendlyZodMessages();
  const applied = await applyMigrations(database);
  if (applied.length > 0) logger.info({ applied }, 'applied migrations');

  const services = createServices({
    database,
    versionSource: staticVersionSource(config.versions),
    clock: options.clock ?? systemClock,
    logger,
    approvalThreshold: config.approvalThreshold,
    engineTickMs: config.engine.tickMs,
    webhookUrl: config.webhookUrl,
    sensorLimits: config.sensors,
  });
  await services.versions.sync(config.defaultVersion);
  const generatedAdminToken = await services.tokens.bootstrap(config.initialTokens);
  services.tokens.start();
  await services.revisions.refresh();
  services.revisions.start(config.revisionPollMs);
  services.instances.start(2_000);
  services.webhook.start(1_000);
  services.sensors.start(5_000);
  if (config.engine.enabled) services.engine.start();

  const routes = allRoutes(services);
  const openapi = buildOpenApiDocument(routes);
  let draining = false;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders());
  app.use(
    pinoHttp({
      logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    if (draining) return void res.status(503).json({ status: 'draining' });
    try {
      await database.prisma.$queryRaw`SELECT 1`;
      res.json({ status: 'ready', revision: String(services.revisions.current) });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.get('/api/openapi.json', (_req, res) => void res.json(openapi));

  const api = express.Router();
  mountRoutes(api, routes, services.tokens.verify);
  app.use(api);
  app.use('/api', notFoundHandler);

  const webDir = config.webDir ?? join(import.meta.dirname, '../../web/dist');
  if (existsSync(join(webDir, 'index.html'))) {
    app.use(express.static(webDir, { index: false, maxAge: '1h' }));
    // The dashboard routes on the client: every other GET gets the app shell. `root` keeps send's
    // dotfile rule to the file's own name: the checkout may live under `~/.cache/...`.
    app.get('/{*path}', (_req, res) => res.sendFile('index.html', { root: webDir }));
  }
  app.use(notFoundHandler);
  app.use(errorHandler(logger));

  return {
    app,
    services,
    generatedAdminToken,
    setDraining: () => void (draining = true),
    async close() {
      await services.engine.stop();
      await services.sensors.stop();
      await services.webhook.stop();
      await services.revisions.stop();
      await services.instances.stop();
      await services.tokens.stop();
    },
  };
}
