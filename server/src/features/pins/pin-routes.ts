import { z } from 'zod';
import { Limit } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import { SiteKey, SiteSchema, toSiteBody, VersionName } from '../sites/site-schemas.ts';
import type { PinService } from './pin-service.ts';

const PinEventSchema = z
  .object({
    id: z.string(),
    siteKey: z.string(),
    fromVersion: z.string().nullable(),
    toVersion: z.string(),
    actor: z.string(),
    reason: z.string(),
    revision: z.string(),
    rolloutId: z
      .number()
      .int()
      .nullable()
      .describe('the rollout (or its revert) that made the change'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PinEvent' });

const params = z.object({ key: SiteKey });

export function pinRoutes({ pins }: { pins: PinService }) {
  return [
    route({
      method: 'put',
      path: '/api/v1/sites/:key/pin',
      tag: 'pins',
      summary: "Set one site's pinned version (compare-and-set against expectedVersion when given)",
      permission: 'release',
      params,
      body: z.strictObject({
        version: VersionName,
        reason: z.string().trim().min(1, 'give a reason: it is kept in the pin history').max(500),
        expectedVersion: VersionName.optional().describe(
          'the pin you saw; refused with 409 if it changed since',
        ),
      }),
      response: z.object({ site: SiteSchema, changed: z.boolean() }),
      errors: [404, 409, 422],
      async handler({ params, body, actor }) {
        const { site, changed } = await pins.setPin({ siteKey: params.key, ...body, actor });
        return { site: toSiteBody(site), changed };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/sites/:key/pin-history',
      tag: 'pins',
      summary: "A site's pin changes, newest first",
      permission: 'viewer',
      params,
      query: z.strictObject({ limit: Limit(500, 100) }),
      response: z.object({ items: z.array(PinEventSchema) }),
      errors: [404],
      async handler({ params, query }) {
        const events = await pins.history(params.key, query.limit);
        return {
          items: events.map((e) => ({
            ...e,
            id: String(e.id),
            revision: String(e.revision),
            createdAt: e.createdAt.toISOString(),
          })),
        };
      },
    }),
  ];
}
