import { z } from 'zod';
import { IntId } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import type { FreezeWindowService } from './freeze-window-service.ts';

const FreezeWindowSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    reason: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'FreezeWindow' });

type Row = {
  id: number;
  name: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdBy: string;
};
const toBody = (w: Row) => ({
  ...w,
  startsAt: w.startsAt.toISOString(),
  endsAt: w.endsAt.toISOString(),
});

export function freezeWindowRoutes({ freezes }: { freezes: FreezeWindowService }) {
  return [
    route({
      method: 'get',
      path: '/api/v1/freeze-windows',
      tag: 'rollouts',
      summary: 'Freeze windows that are coming, in force, or ended in the last 30 days',
      permission: 'viewer',
      response: z.object({ items: z.array(FreezeWindowSchema) }),
      handler: async () => ({ items: (await freezes.list()).map(toBody) }),
    }),
    route({
      method: 'post',
      path: '/api/v1/freeze-windows',
      tag: 'rollouts',
      summary:
        'Declare a freeze window: no rollout starts or advances in it without an admin override',
      permission: 'admin',
      body: z.strictObject({
        name: z.string().trim().min(1).max(100),
        startsAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
        endsAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
        reason: z.string().trim().min(1, 'give a reason').max(500),
      }),
      status: 201,
      response: FreezeWindowSchema,
      handler: async ({ body, actor }) => toBody(await freezes.create({ ...body, actor })),
    }),
    route({
      method: 'delete',
      path: '/api/v1/freeze-windows/:id',
      tag: 'rollouts',
      summary: 'Remove a freeze window',
      permission: 'admin',
      params: z.object({ id: IntId }),
      query: z.strictObject({ reason: z.string().trim().min(1, 'give a reason').max(500) }),
      errors: [404],
      handler: ({ params, query, actor }) =>
        freezes.remove({ id: params.id, reason: query.reason, actor }),
    }),
  ];
}
