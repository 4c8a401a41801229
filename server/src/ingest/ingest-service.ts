import type { Database } from '../db/database.ts';
import { applyMigrations } from '../db/migrate.ts';
import type { Logger } from '../lib/logger.ts';
import { createIngestApp } from './app.ts';
import type { IngestConfig } from './config.ts';
import { createImportService } from './import-service.ts';
import type { PipelineLookup } from './pipelines/index.ts';
import { createPinReader } from './pin-reader.ts';
import { ImportReporter } from './reporter.ts';

/** Assembles the ingestion API: its own database, the pin reader, the reporter and the app. */
export async function createIngestion(options: {
  config: IngestConfig;
  database: Database;
  logger: Logger;
  /** Which pipeline runs a version (default: the real ones); a test seam, not a setting. */
  pipelines?: PipelineLookup;
}) {
  const { config, database, logger } = options;
  await applyMigrations(database);
  const pins = createPinReader({
    url: new URL('/api/', config.controlPlaneUrl).toString(),
    token: config.token,
    appName: 'pinion-ingest',
    instanceId: config.instanceId,
    refreshMs: config.refreshMs,
    backupDir: config.backupDir,
    onError: (err) => logger.warn({ err: err.message }, 'pin reader'),
  });
  const reporter = new ImportReporter({
    db: database.prisma,
    controlPlaneUrl: config.controlPlaneUrl,
    token: config.token,
    logger,
  });
  reporter.start(1_000);
  const imports = createImportService({
    db: database.prisma,
    pins,
    reporter,
    pipelines: options.pipelines,
  });
  const app = createIngestApp({ db: database.prisma, pins, imports, logger });
  return {
    app,
    pins,
    reporter,
    async close() {
      pins.close();
      await reporter.stop();
    },
  };
}
