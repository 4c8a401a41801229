import type { Database } from '../db/database.ts';
import { applyMigrations } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { createIngestApp } from './app.ts';
import { controlPlaneApi } from './control-plane/control-plane-api.ts';
import { ingestAuth } from './auth/ingest-auth.ts';
import { introspectionClient } from './auth/introspection-client.ts';
import { saveTokensToFile } from './auth/saved-tokens.ts';
import { createTokenChecker } from './auth/token-checker.ts';
import type { IngestConfig } from './config.ts';
import { fileChannel, webhookChannel } from './exports/channels.ts';
import type { ExportChannel } from './exports/channels.ts';
import { ExportSender } from './exports/export-sender.ts';
import { pipelineFor } from './pipelines/index.ts';
import type { PipelineLookup } from './pipelines/index.ts';
import { createPinReader } from './pin-reader.ts';
import { repairClient } from './repair/control-plane-client.ts';
import { repairProgressOutbox } from './repair/progress-outbox.ts';
import { RepairExecutor } from './repair/repair-executor.ts';
import { repairBlockedBy } from './repair/repair-readiness.ts';
import { repairSite } from './repair/repair-site.ts';
import { importReporter } from './reporter.ts';
import { sensorHeartbeat } from './sensor-heartbeat.ts';
import { ImportWorkers } from './worker/import-workers.ts';
import { SiteLocks } from './worker/site-locks.ts';

/**
 * Assembles the ingestion API: its own database, the pin reader, the journal and its workers,
 * the outboxes (import reports, exports, repair progress), the repair executor and the app.
 * One ingestion process per database (docs/adr/0010-import-journal-and-repair.md).
 */
export async function createIngestion(options: {
  config: IngestConfig;
  database: Database;
  logger: Logger;
  /** Which pipeline runs a version (default: the real ones); a test seam, not a setting. */
  pipelines?: PipelineLookup;
  clock?: Clock;
  /** False leaves the import workers stopped until `workers.start()` (tests look at the queue). */
  startWorkers?: boolean;
}) {
  const { config, database, logger } = options;
  const db = database.prisma;
  const clock = options.clock ?? systemClock;
  const pipelines = options.pipelines ?? pipelineFor;
  await applyMigrations(database);

  const locks = new SiteLocks();
  // The pin reader is made first (the workers read pins); its changes wake the workers.
  let wakeWorkers = () => {};
  const pins = createPinReader({
    url: new URL('/api/', config.controlPlaneUrl).toString(),
    token: config.token,
    appName: 'pinion-ingest',
    instanceId: config.instanceId,
    refreshMs: config.refreshMs,
    backupDir: config.backupDir,
    onError: (err) => logger.warn({ err: err.message }, 'pin reader'),
    onChange: () => wakeWorkers(),
  });
  // Every call to the control plane but the pin reader's (the Unleash SDK) goes through it.
  const api = controlPlaneApi({ url: config.controlPlaneUrl, token: config.token });
  const reporter = importReporter({ db, api, clock, logger });
  const heartbeat = sensorHeartbeat({
    db,
    api,
    instanceId: config.instanceId,
    clock,
    logger,
  });
  const channels: ExportChannel[] = [fileChannel(config.exports.dir)];
  if (config.exports.webhookUrl) channels.push(webhookChannel({ url: config.exports.webhookUrl }));
  const exports = new ExportSender({ db, channels, clock, logger });
  const workers = new ImportWorkers({
    db,
    pins,
    pipelines,
    locks,
    concurrency: config.workers,
    snapshots: config.snapshots,
    exportChannels: () => exports.channelNames,
    clock,
    logger,
    onProcessed: () => {
      void reporter.kick();
      void exports.kick();
    },
  });

  const client = repairClient({ api });
  const progress = repairProgressOutbox({ db, client, logger });
  const repairs = new RepairExecutor({
    db,
    client,
    instanceId: config.instanceId,
    concurrency: config.repair.concurrency,
    pollMs: config.repair.pollMs,
    locks,
    progress,
    clock,
    logger,
    runTask: (task) =>
      repairSite({
        db,
        task,
        pins,
        pipelines,
        exportChannels: exports.channelNames,
        publish: async (siteKey) => {
          await exports.deliverSite(siteKey, ['file']);
          // The webhook is the sender's (retries, backoff); without one there is nothing left.
          if (config.exports.webhookUrl) void exports.kick();
        },
        clock,
        onState: () => void progress.kick(),
      }),
    onTaskEnded: () => void workers.wake(),
    blockedBy: repairBlockedBy(pins, config.refreshMs),
  });
  wakeWorkers = () => {
    void workers.wake();
    repairs.wake();
  };

  reporter.start(1_000);
  heartbeat.start(config.heartbeatMs);
  exports.start(1_000);
  progress.start(config.repair.pollMs);
  repairs.start();
  if (options.startWorkers !== false) workers.start(1_000);

  const tokens = createTokenChecker({
    introspect: introspectionClient({ api, timeoutMs: config.auth.timeoutMs }),
    clock,
    freshMs: config.auth.freshMs,
    graceMs: config.auth.graceMs,
    onUnavailable: (err) =>
      logger.warn({ err: err.message }, 'token check: control plane unavailable; grace applies'),
  });
  const savedTokens = saveTokensToFile({
    checker: tokens,
    file: config.auth.savedFile,
    onError: (err) => logger.warn({ err: err.message }, 'saving confirmed tokens'),
  });
  const app = createIngestApp({
    auth: ingestAuth(tokens),
    db,
    pins,
    pipelines,
    clock,
    maxFeedBytes: config.maxFeedBytes,
    logger,
    onAccepted: () => void workers.wake(),
    isProcessing: (id) => workers.isProcessing(id),
    reporting: () => heartbeat.health(),
  });
  return {
    app,
    pins,
    reporter,
    heartbeat,
    workers,
    exports,
    repairs,
    progress,
    async close() {
      pins.close();
      await repairs.stop();
      await workers.stop();
      await Promise.all([exports.stop(), progress.stop(), reporter.stop(), savedTokens.stop()]);
      await heartbeat.stop();
    },
  };
}

export type Ingestion = Awaited<ReturnType<typeof createIngestion>>;
