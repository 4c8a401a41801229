import { z } from 'zod';
import { Limit } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import { SiteKey } from '../sites/site-schemas.ts';
import { BatchBody, BatchResult, ImportReportSchema, ReportBody } from './import-report-schemas.ts';
import type { ImportReportService } from './import-report-service.ts';

type ReportRow = Omit<z.input<typeof ImportReportSchema>, 'completedAt' | 'receivedAt'> & {
  completedAt: Date;
  receivedAt: Date;
};

const toBody = (r: ReportRow) => ({
  ...r,
  completedAt: r.completedAt.toISOString(),
  receivedAt: r.receivedAt.toISOString(),
});

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
        "Each report is judged on its own: accepted, a duplicate, or refused with its importId and the reason (a malformed report, an unknown site, impossible counts) while the others are kept. The whole batch is refused (400) only when its envelope is unusable. Accepted reports whose version is not the site's pin are flagged.",
      permission: 'ingest',
      body: BatchBody,
      itemsJudgedAlone: true,
      bodyLimit: '2mb',
      response: BatchResult,
      handler: ({ body }) => reports.recordBatch(body.reports),
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
