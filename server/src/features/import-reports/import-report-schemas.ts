import { z } from 'zod';
import { IntCount } from '../../http/number-params.ts';
import { SiteKey, VersionName } from '../sites/site-schemas.ts';

/** A count PostgreSQL's `int` holds: a larger one is impossible, and refused like a negative one. */
const count = IntCount;

export const ReportBody = z
  .strictObject({
    importId: z
      .string()
      .regex(/^[\x21-\x7e]{1,100}$/, 'must be 1-100 printable ASCII characters without spaces'),
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

export type ImportReportInput = z.output<typeof ReportBody>;

export const ImportReportSchema = z
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

export const BatchBody = z.strictObject({
  reports: z
    .array(
      // Read as anything (each is judged alone), documented as what to send: the ingestion API's
      // client is typed from this document.
      z.unknown().meta({
        $ref: '#/components/schemas/ImportReportInput',
        description:
          'an ImportReportInput; one that is not (a missing or null field, a wrong type, a bad string) is refused alone, with its reason',
      }),
    )
    .min(1)
    .max(1_000),
});

export const BatchResult = z.object({
  accepted: z.number().int(),
  duplicates: z.array(z.string()),
  flagged: z.array(z.object({ importId: z.string(), message: z.string() })),
  refused: z.array(
    z.object({
      importId: z
        .string()
        .nullable()
        .describe("the report's importId, when it has one that is a string"),
      kind: z.enum(['invalid', 'unknown_site', 'inconsistent']),
      message: z
        .string()
        .describe('which field is wrong and how, or why the report cannot be true'),
    }),
  ),
});
