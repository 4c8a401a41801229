import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { validationError } from '../../http/route.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { ReportBody } from './import-report-schemas.ts';
import type { BatchResult, ImportReportInput } from './import-report-schemas.ts';

export type Refusal = z.output<typeof BatchResult>['refused'][number];

export type ImportReportService = ReturnType<typeof createImportReportService>;

function inconsistency(r: ImportReportInput): string | undefined {
  if (r.imported + r.rejected > r.received) {
    return `imported (${r.imported}) + rejected (${r.rejected}) exceeds received (${r.received})`;
  }
  if (r.errors > r.received) return `errors (${r.errors}) exceeds received (${r.received})`;
  return undefined;
}

export function createImportReportService(deps: { db: Db; onRecorded?: () => void }) {
  const { db } = deps;

  /**
   * A batch as it arrived: each report is checked on its own, so a report that is not one (a
   * null count, a wrong type, a string PostgreSQL cannot store) is refused alone, with its
   * importId when it has one, and the others are kept. Refusals come in the order of the batch.
   */
  async function recordBatch(items: unknown[]) {
    const valid: { report: ImportReportInput; at: number }[] = [];
    const invalid: (Refusal & { at: number })[] = [];
    items.forEach((item, at) => {
      const parsed = ReportBody.safeParse(item);
      if (parsed.success) return void valid.push({ report: parsed.data, at });
      const importId = (item as { importId?: unknown } | null)?.importId;
      invalid.push({
        at,
        importId: typeof importId === 'string' ? importId.slice(0, 100) : null,
        kind: 'invalid',
        message: validationError(`reports.${at}`, parsed.error).message,
      });
    });
    const result = await keep(valid);
    const refused = [...invalid, ...result.refused]
      .sort((a, b) => a.at - b.at)
      .map(({ at: _, ...refusal }) => refusal);
    return { ...result, refused };
  }

  /**
   * Keeps import results, idempotently by import id: the ingestion API sends a report again when
   * it cannot tell whether the first one arrived. A report whose version is not the site's pin on
   * arrival is kept but flagged: it never counts as canary data, healthy or not. Reports for
   * unknown sites or with impossible counts are refused, each with its reason.
   */
  async function keep(reports: { report: ImportReportInput; at: number }[]) {
    const refused: (Refusal & { at: number })[] = [];
    const keys = [...new Set(reports.map(({ report }) => report.siteKey))];
    const pins = new Map(
      (
        await db.$queryRaw<{ key: string; pinnedVersion: string }[]>`
          SELECT key, pinned_version AS "pinnedVersion" FROM sites WHERE key = ANY(${keys}::text[])`
      ).map((s) => [s.key, s.pinnedVersion]),
    );
    const rows = reports.flatMap(({ report: r, at }) => {
      const problem = inconsistency(r);
      const pin = pins.get(r.siteKey);
      if (problem) {
        refused.push({ at, importId: r.importId, kind: 'inconsistent', message: problem });
      } else if (!pin) {
        const message = `site '${r.siteKey}' does not exist`;
        refused.push({ at, importId: r.importId, kind: 'unknown_site', message });
      }
      if (problem || !pin) return [];
      const flagged =
        r.version === pin
          ? null
          : `processed with ${r.version} while the site was pinned to ${pin}`;
      return [{ ...r, pinnedVersion: pin, flagged }];
    });
    const inserted =
      rows.length === 0
        ? []
        : await db.$queryRaw<{ importId: string }[]>`
            INSERT INTO import_reports (import_id, site_key, version, pinned_version, received, imported, rejected,
                                        errors, failed, duration_ms, completed_at, flagged)
            SELECT i, s, v, p, rc, im, rj, er, f, d, (c::timestamptz AT TIME ZONE 'UTC'), fl
              FROM unnest(${rows.map((r) => r.importId)}::text[], ${rows.map((r) => r.siteKey)}::text[],
                          ${rows.map((r) => r.version)}::text[], ${rows.map((r) => r.pinnedVersion)}::text[],
                          ${rows.map((r) => r.received)}::int[], ${rows.map((r) => r.imported)}::int[],
                          ${rows.map((r) => r.rejected)}::int[], ${rows.map((r) => r.errors)}::int[],
                          ${rows.map((r) => r.failed)}::boolean[], ${rows.map((r) => r.durationMs)}::int[],
                          ${rows.map((r) => r.completedAt.toISOString())}::text[], ${rows.map((r) => r.flagged)}::text[])
                   AS x(i, s, v, p, rc, im, rj, er, f, d, c, fl)
            ON CONFLICT (import_id) DO NOTHING
            RETURNING import_id AS "importId"`;
    if (inserted.length > 0) deps.onRecorded?.();
    const fresh = new Set(inserted.map((r) => r.importId));
    return {
      accepted: inserted.length,
      duplicates: rows.filter((r) => !fresh.has(r.importId)).map((r) => r.importId),
      flagged: rows
        .filter((r) => r.flagged && fresh.has(r.importId))
        .map((r) => ({ importId: r.importId, message: r.flagged! })),
      refused,
    };
  }

  return {
    recordBatch,

    /** One report: the same rules, with the refusal as an error. */
    async record(report: ImportReportInput) {
      const result = await keep([{ report, at: 0 }]);
      const refusal = result.refused[0];
      if (refusal?.kind === 'unknown_site') throw new NotFoundError(refusal.message);
      if (refusal)
        throw new ValidationError(`body: ${refusal.message}`, [
          { path: 'body', message: refusal.message },
        ]);
      const stored = await db.importReport.findUniqueOrThrow({
        where: { importId: report.importId },
      });
      return { report: stored, duplicate: result.duplicates.length > 0 };
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
