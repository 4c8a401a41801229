import type { Db } from './db/database.ts';
import { createTokenService } from './features/auth/token-service.ts';
import { FeaturesCache } from './features/client-api/features-cache.ts';
import { InstanceRecorder } from './features/client-api/instance-recorder.ts';
import { RevisionWatcher } from './features/client-api/revision-watcher.ts';
import { createImportReportService } from './features/import-reports/import-report-service.ts';
import { createPinService } from './features/pins/pin-service.ts';
import { createSiteService } from './features/sites/sites-service.ts';
import type { VersionSource } from './features/versions/version-source.ts';
import { createVersionService } from './features/versions/versions-service.ts';

export type Services = ReturnType<typeof createServices>;

/** The composition root: every service, built once from the database and the version source. */
export function createServices(deps: { db: Db; versionSource: VersionSource }) {
  const { db } = deps;
  const revisions = new RevisionWatcher(db);
  const versions = createVersionService({ db, source: deps.versionSource });
  return {
    db,
    revisions,
    versions,
    tokens: createTokenService({ db }),
    sites: createSiteService({ db, versions, revisions }),
    pins: createPinService({ db, versions, revisions }),
    reports: createImportReportService({ db }),
    features: new FeaturesCache({ db, revisions }),
    instances: new InstanceRecorder(db),
  };
}
