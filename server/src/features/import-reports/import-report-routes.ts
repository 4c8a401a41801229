import { z } from 'zod';
import { IntCount, Limit } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import { SiteKey, VersionName } from '../sites/site-schemas.ts';
import type { ImportReportService } from './import-report-service.ts';

const count = IntCount;

const ImportReportSchema = z
  .object({
    importId: z.string(),
    siteKey: z.string(),
    version: z.string(),
    pinnedVersion: z.string().describe("the site's pin when the report arrived"),
    received: z.number().int(),
    imported: z.number().int(),
    rejected: z.number().int(),
    errors: z.number().int(),
    failed: z.boolean(),
    durationMs: z.number().int(),
    completedAt: z.iso.datetime(),
    receivedAt: z.iso.datetime(),
    flagged: z.string().nullable().describe('why this report does not count as canary data'),
  })
  .meta({ id: 'ImportReport' });

type ReportRow = Omit<z.input<typeof ImportReportSchema>, 'completedAt' | 'receivedAt'> & {
  completedAt: Date;
  receivedAt: Date;
};

const toBody = (r: ReportRow) => ({
  ...r,
  completedAt: r.completedAt.toISOString(),
  receivedAt: r.receivedAt.toISOString(),
});

const ReportBody = z
  .strictObject({
    importId: z.string().min(1).max(100),
    siteKey: SiteKey,
    version: VersionName,
    received: count,
    imported: count,
    rejected: count,
    errors: count
      .default(0)
      .describe('products that failed in processing (not validation rejections)'),
    failed: z.boolean().default(false).describe('the import failed as a whole'),
    durationMs: count,
    completedAt: z.iso.datetime().transform((s) => new Date(s)),
  })
  .meta({ id: 'ImportReportInput' });

export function importReportRoutes({ reports }: { reports: ImportReportService }) {
  return [
    route({
      method: 'post',
      path: '/api/v1/import-reports',
      tag: 'imports',
      summary: 'The ingestion API reports one import (idempotent by importId)',
      permission: 'ingest',
      body: ReportBody,
      status: 201,
      response: z.object({ report: ImportReportSchema, duplicate: z.boolean() }),
      errors: [404],
      async handler({ body }) {
        const { report, duplicate } = await reports.record(body);
        return { report: toBody(report), duplicate };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/import-reports/batch',
      tag: 'imports',
      summary: 'The ingestion API reports many imports at once (idempotent by importId)',
      description:
        "Each report is accepted, a duplicate, or refused with its reason; accepted reports whose version is not the site's pin are flagged.",
      permission: 'ingest',
      body: z.strictObject({ reports: z.array(ReportBody).min(1).max(1_000) }),
      bodyLimit: '2mb',
      response: z.object({
        accepted: z.number().int(),
        duplicates: z.array(z.string()),
        flagged: z.array(z.object({ importId: z.string(), message: z.string() })),
        refused: z.array(z.object({ importId: z.string(), kind: z.string(), message: z.string() })),
      }),
      handler: ({ body }) => reports.recordMany(body.reports),
    }),
    route({
      method: 'get',
      path: '/api/v1/sites/:key/imports',
      tag: 'imports',
      summary: "A site's recent imports, newest first",
      permission: 'viewer',
      params: z.object({ key: SiteKey }),
      query: z.strictObject({ limit: Limit(500, 50) }),
      response: z.object({ items: z.array(ImportReportSchema) }),
      errors: [404],
      handler: async ({ params, query }) => ({
        items: (await reports.forSite(params.key, query.limit)).map(toBody),
      }),
    }),
  ];
}
