import { z } from 'zod';
import { IntIdBody } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import { candidatesFromCsv, candidatesFromJson, ImportJsonBody } from './bulk-import.ts';
import { NewSite, SiteKey, SiteListQuery, SiteSchema, toSiteBody } from './site-schemas.ts';
import type { SiteService } from './sites-service.ts';

const params = z.object({ key: SiteKey });
const PauseBody = z.strictObject({ reason: z.string().trim().min(1, 'give a reason').max(500) });

export function siteRoutes({ sites }: { sites: SiteService }) {
  return [
    route({
      method: 'get',
      path: '/api/v1/sites',
      tag: 'sites',
      summary:
        'List sites: filter by label (repeat `label=key=value`), version, paused or text; paged',
      permission: 'viewer',
      query: SiteListQuery,
      response: z.object({
        items: z.array(SiteSchema),
        total: z.number().int(),
        limit: z.number().int(),
        offset: z.number().int(),
      }),
      async handler({ query }) {
        const { items, total } = await sites.list(query);
        return { items: items.map(toSiteBody), total, limit: query.limit, offset: query.offset };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/sites',
      tag: 'sites',
      summary: 'Create a site, pinned to the given version or explicitly to the fleet default',
      permission: 'release',
      body: NewSite,
      status: 201,
      response: SiteSchema,
      errors: [409, 422],
      handler: async ({ body, actor }) => toSiteBody(await sites.create({ site: body, actor })),
    }),
    route({
      method: 'post',
      path: '/api/v1/sites/import',
      tag: 'sites',
      summary: 'Import up to 100,000 new sites from JSON or CSV: all or nothing, errors by line',
      description:
        'CSV: a header `key,name[,version][,label.<key>...]` then one site per line. JSON: `{"sites": [...]}`. ' +
        'Existing keys are errors: an import never changes an existing site.',
      permission: 'release',
      body: ImportJsonBody,
      accepts: ['json', 'csv'],
      bodyLimit: '64mb',
      status: 201,
      response: z.object({ imported: z.number().int() }),
      errors: [413, 415],
      async handler({ body, text, actor }) {
        const parsed =
          text === undefined ? await candidatesFromJson(body.sites) : await candidatesFromCsv(text);
        return sites.importMany({ parsed, actor });
      },
    }),
    ...(['pause', 'resume'] as const).map((action) =>
      route({
        method: 'post',
        path: `/api/v1/sites/${action}`,
        tag: 'sites',
        summary:
          action === 'pause'
            ? 'Pause every site of a selector, a list of keys or a cohort (imports are journaled and held)'
            : 'Resume every site of a selector, a list of keys or a cohort',
        permission: 'operator',
        body: z
          .strictObject({
            selector: z.string().max(2_000).optional(),
            siteKeys: z.array(SiteKey).max(100_000).optional(),
            cohortId: IntIdBody.optional(),
            reason: z.string().trim().min(1, 'give a reason').max(500),
          })
          .refine(
            (b) =>
              (b.cohortId === undefined) !== (b.selector === undefined && b.siteKeys === undefined),
            {
              message: 'give either cohortId, or a selector and/or siteKeys',
              path: ['cohortId'],
            },
          ),
        response: z.object({
          matched: z.number().int(),
          changed: z.number().int(),
          sites: z.array(z.string()),
        }),
        errors: [404],
        handler: ({ body, actor }) =>
          sites.pauseGroup({ ...body, paused: action === 'pause', actor }),
      }),
    ),
    route({
      method: 'get',
      path: '/api/v1/sites/:key',
      tag: 'sites',
      summary: 'Get one site',
      permission: 'viewer',
      params,
      response: SiteSchema,
      errors: [404],
      handler: async ({ params }) => toSiteBody(await sites.get(params.key)),
    }),
    route({
      method: 'post',
      path: '/api/v1/sites/:key/pause',
      tag: 'sites',
      summary: 'Pause a site: the ingestion API holds its imports until it is resumed',
      permission: 'operator',
      params,
      body: PauseBody,
      response: SiteSchema,
      errors: [404],
      handler: async ({ params, body, actor }) =>
        toSiteBody(
          await sites.setPaused({ key: params.key, paused: true, reason: body.reason, actor }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/v1/sites/:key/resume',
      tag: 'sites',
      summary: 'Resume a paused site',
      permission: 'operator',
      params,
      body: PauseBody,
      response: SiteSchema,
      errors: [404],
      handler: async ({ params, body, actor }) =>
        toSiteBody(
          await sites.setPaused({ key: params.key, paused: false, reason: body.reason, actor }),
        ),
    }),
  ];
}
