import { z } from 'zod';
import { IntId } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import { SiteKey } from '../sites/site-schemas.ts';
import type { CohortService } from './cohort-service.ts';

const SiteSetBody = {
  selector: z
    .string()
    .max(2_000)
    .optional()
    .describe('Kubernetes label selector, e.g. `tier=enterprise,region in (eu,us),!beta`'),
  siteKeys: z
    .array(SiteKey)
    .max(100_000)
    .default([])
    .describe('explicit sites, added to those the selector matches'),
};

const Preview = z
  .object({
    count: z.number().int(),
    fingerprint: z.string().describe('first 16 hex digits of SHA-256 over the sorted site keys'),
    sample: z.array(z.string()),
  })
  .meta({ id: 'CohortPreview' });

const CohortSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string(),
    selector: z.string().nullable(),
    siteKeys: z.array(z.string()),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Cohort' });

type CohortRow = Omit<z.input<typeof CohortSchema>, 'createdAt'> & { createdAt: Date };
const toBody = (c: CohortRow) => ({
  id: c.id,
  name: c.name,
  description: c.description,
  selector: c.selector,
  siteKeys: c.siteKeys,
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
});

export function cohortRoutes({ cohorts }: { cohorts: CohortService }) {
  return [
    route({
      method: 'post',
      path: '/api/v1/cohorts/preview',
      tag: 'cohorts',
      summary: 'Resolve a selector and/or site keys to the exact count, a sample and a fingerprint',
      permission: 'viewer',
      body: z.strictObject(SiteSetBody),
      response: Preview,
      handler: ({ body }) => cohorts.preview(body),
    }),
    route({
      method: 'post',
      path: '/api/v1/cohorts',
      tag: 'cohorts',
      summary: 'Save a named cohort',
      permission: 'release',
      body: z.strictObject({
        name: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and "-" (up to 63)'),
        description: z.string().max(500).default(''),
        ...SiteSetBody,
      }),
      status: 201,
      response: CohortSchema.extend(Preview.shape),
      errors: [409],
      handler: async ({ body, actor }) => {
        const c = await cohorts.create({ ...body, actor });
        return { ...toBody(c), count: c.count, fingerprint: c.fingerprint, sample: c.sample };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/cohorts',
      tag: 'cohorts',
      summary: 'List cohorts',
      permission: 'viewer',
      response: z.object({ items: z.array(CohortSchema) }),
      handler: async () => ({ items: (await cohorts.list()).map(toBody) }),
    }),
    route({
      method: 'get',
      path: '/api/v1/cohorts/:id',
      tag: 'cohorts',
      summary: 'A cohort with the sites it resolves to now',
      permission: 'viewer',
      params: z.object({ id: IntId }),
      response: CohortSchema.extend(Preview.shape),
      errors: [404],
      handler: async ({ params }) => {
        const c = await cohorts.get(params.id);
        return { ...toBody(c), count: c.count, fingerprint: c.fingerprint, sample: c.sample };
      },
    }),
  ];
}
