import { z } from 'zod';
import { route } from '../../http/route.ts';
import type { VersionService } from './versions-service.ts';

export const VersionSchema = z
  .object({
    name: z.string(),
    status: z.enum(['active', 'deprecated', 'retired']),
    source: z.string(),
    isDefault: z.boolean(),
    siteCount: z.number().int(),
  })
  .meta({ id: 'Version' });

const toBody = (v: z.input<typeof VersionSchema>) => ({
  name: v.name,
  status: v.status,
  source: v.source,
  isDefault: v.isDefault,
  siteCount: v.siteCount,
});

export function versionRoutes({ versions }: { versions: VersionService }) {
  return [
    route({
      method: 'get',
      path: '/api/v1/versions',
      tag: 'versions',
      summary:
        'List versions with their status, the fleet default and how many sites are pinned to each',
      permission: 'viewer',
      response: z.object({ items: z.array(VersionSchema) }),
      handler: async () => ({ items: (await versions.list()).map(toBody) }),
    }),
    route({
      method: 'patch',
      path: '/api/v1/versions/:name',
      tag: 'versions',
      summary: "Change a version's status or make it the fleet default for new sites",
      permission: 'admin',
      params: z.object({ name: z.string() }),
      body: z.strictObject({
        status: z.enum(['active', 'deprecated', 'retired']).optional(),
        default: z.literal(true).optional().describe('make this the default version for new sites'),
        reason: z.string().trim().min(1, 'give a reason'),
      }),
      response: VersionSchema,
      errors: [404, 409],
      handler: async ({ params, body, actor }) =>
        toBody(
          await versions.update({
            name: params.name,
            status: body.status,
            makeDefault: body.default,
            reason: body.reason,
            actor,
          }),
        ),
    }),
  ];
}
