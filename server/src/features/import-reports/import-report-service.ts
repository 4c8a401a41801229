import type { Db } from '../../db/database.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';

export type ImportReportInput = {
  importId: string;
  siteKey: string;
  version: string;
  received: number;
  imported: number;
  rejected: number;
  errors: number;
  failed: boolean;
  durationMs: number;
  completedAt: Date;
};

export type ImportReportService = ReturnType<typeof createImportReportService>;

export function createImportReportService(deps: {
  db: Db;
  onRecorded?: (siteKey: string) => void;
}) {
  const { db } = deps;
  return {
    /**
     * Keeps one import's result. Idempotent by import id: the ingestion API may send a report
     * again when it cannot tell whether the first one arrived. A report whose version is not the
     * site's pin is kept but flagged: it never counts as healthy (or unhealthy) canary data.
     */
    async record(report: ImportReportInput) {
      if (report.imported + report.rejected > report.received) {
        throw new ValidationError(
          `body: imported (${report.imported}) + rejected (${report.rejected}) exceeds received (${report.received})`,
          [{ path: 'body.imported', message: 'imported + rejected must not exceed received' }],
        );
      }
      if (report.errors > report.received) {
        throw new ValidationError(
          `body.errors: ${report.errors} errors exceeds received (${report.received})`,
          [{ path: 'body.errors', message: 'must not exceed received' }],
        );
      }
      const site = await db.site.findUnique({
        where: { key: report.siteKey },
        select: { pinnedVersion: true },
      });
      if (!site) throw new NotFoundError(`site '${report.siteKey}' does not exist`);
      const existing = await db.importReport.findUnique({ where: { importId: report.importId } });
      if (existing) return { report: existing, duplicate: true };
      const flagged =
        report.version === site.pinnedVersion
          ? null
          : `processed with ${report.version} while the site was pinned to ${site.pinnedVersion}`;
      const created = await db.importReport.upsert({
        where: { importId: report.importId },
        create: { ...report, pinnedVersion: site.pinnedVersion, flagged },
        update: {},
      });
      deps.onRecorded?.(report.siteKey);
      return { report: created, duplicate: false };
    },

    async forSite(siteKey: string, limit: number) {
      if (!(await db.site.findUnique({ where: { key: siteKey }, select: { key: true } }))) {
        throw new NotFoundError(`site '${siteKey}' does not exist`);
      }
      return db.importReport.findMany({
        where: { siteKey },
        orderBy: { completedAt: 'desc' },
        take: limit,
      });
    },
  };
}
