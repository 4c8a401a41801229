import type { Database } from './db/database.ts';
import { advisoryLease, soleLease } from './engine/lease.ts';
import { RolloutEngine } from './engine/rollout-engine.ts';
import { createCohortService } from './features/cohorts/cohort-service.ts';
import { createFreezeWindowService } from './features/freeze-windows/freeze-window-service.ts';
import { WebhookSender } from './features/notifications/webhook-sender.ts';
import { createRepairService } from './features/repairs/repair-service.ts';
import { createRolloutService } from './features/rollouts/rollout-service.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import { listenForRevocations, localInvalidation } from './features/auth/token-invalidation.ts';
import { createTokenService } from './features/auth/token-service.ts';
import { FeaturesCache } from './features/client-api/features-cache.ts';
import { InstanceRecorder } from './features/client-api/instance-recorder.ts';
import { RevisionWatcher } from './features/client-api/revision-watcher.ts';
import { createImportReportService } from './features/import-reports/import-report-service.ts';
import { createPinService } from './features/pins/pin-service.ts';
import type { SensorLimits } from './features/sensors/sensor-health.ts';
import { createSensorService } from './features/sensors/sensor-service.ts';
import { createSiteService } from './features/sites/sites-service.ts';
import type { VersionSource } from './features/versions/version-source.ts';
import { createVersionService } from './features/versions/versions-service.ts';

export type Services = ReturnType<typeof createServices>;

/** The composition root: every service, built once from the database and the version source. */
export function createServices(deps: {
  database: Database;
  versionSource: VersionSource;
  clock: Clock;
  logger: Logger;
  approvalThreshold: number;
  engineTickMs: number;
  webhookUrl?: string;
  sensorLimits: SensorLimits;
}) {
  const { database, clock } = deps;
  const db = database.prisma;
  const revisions = new RevisionWatcher(db);
  const versions = createVersionService({ db, source: deps.versionSource });
  const lease =
    'url' in database.target
      ? advisoryLease(database.target.url, (err) =>
          deps.logger.warn({ err: err.message }, 'engine lease lost'),
        )
      : soleLease;
  const tokenInvalidation =
    'url' in database.target
      ? listenForRevocations({
          url: database.target.url,
          onLost: (err) =>
            deps.logger.warn(
              { err: err.message },
              'token revocations unheard; caching tokens 0.5 s',
            ),
        })
      : localInvalidation;
  const webhook = new WebhookSender({ db, url: deps.webhookUrl, clock, logger: deps.logger });
  const sensors = createSensorService({
    db,
    clock,
    limits: deps.sensorLimits,
    logger: deps.logger,
    announced: () => webhook.kick(),
  });
  const engine = new RolloutEngine({
    db,
    clock,
    revisions,
    lease,
    logger: deps.logger,
    tickMs: deps.engineTickMs,
    sensors,
    announced: () => webhook.kick(),
  });
  return {
    db,
    revisions,
    versions,
    tokens: createTokenService({ db, clock, invalidation: tokenInvalidation }),
    sites: createSiteService({ db, versions, revisions }),
    pins: createPinService({ db, versions, revisions }),
    // A report can settle a canary verdict: let the engine look at once, not on its next tick.
    reports: createImportReportService({ db, onRecorded: () => engine.kick() }),
    features: new FeaturesCache({ db, revisions, logger: deps.logger }),
    instances: new InstanceRecorder({ db, clock, logger: deps.logger }),
    cohorts: createCohortService({ db }),
    freezes: createFreezeWindowService({ db, clock }),
    rollouts: createRolloutService({
      db,
      versions,
      revisions,
      clock,
      approvalThreshold: deps.approvalThreshold,
      sensors,
      kick: () => {
        engine.kick();
        webhook.kick();
      },
    }),
    engine,
    webhook,
    sensors,
    repairs: createRepairService({ db, clock, revisions }),
  };
}
