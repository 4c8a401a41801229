import type { Route } from './http/route.ts';
import { analysisRoutes } from './features/analysis/analysis-routes.ts';
import { auditRoutes } from './features/audit/audit-routes.ts';
import { tokenRoutes } from './features/auth/token-routes.ts';
import { clientRoutes } from './features/client-api/client-routes.ts';
import { cohortRoutes } from './features/cohorts/cohort-routes.ts';
import { freezeWindowRoutes } from './features/freeze-windows/freeze-window-routes.ts';
import { repairRoutes } from './features/repairs/repair-routes.ts';
import { rolloutRoutes } from './features/rollouts/rollout-routes.ts';
import { importReportRoutes } from './features/import-reports/import-report-routes.ts';
import { notificationRoutes } from './features/notifications/notification-routes.ts';
import { pinRoutes } from './features/pins/pin-routes.ts';
import { sensorRoutes } from './features/sensors/sensor-routes.ts';
import { siteRoutes } from './features/sites/site-routes.ts';
import { versionRoutes } from './features/versions/version-routes.ts';
import type { Services } from './services.ts';

/** Every route of the control plane; mounted by the app and documented in the OpenAPI file. */
export function allRoutes(services: Services): Route[] {
  return [
    ...tokenRoutes(services),
    ...siteRoutes(services),
    ...pinRoutes(services),
    ...versionRoutes(services),
    ...importReportRoutes(services),
    ...sensorRoutes(services),
    ...cohortRoutes(services),
    ...rolloutRoutes(services),
    ...analysisRoutes(services),
    ...repairRoutes(services),
    ...notificationRoutes(services),
    ...freezeWindowRoutes(services),
    ...auditRoutes(services),
    ...clientRoutes(services),
  ];
}
