import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { BigIntId, Limit } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import { listNotifications } from './notification-store.ts';
import type { WebhookSender } from './webhook-sender.ts';

const NotificationSchema = z
  .object({
    id: z.string(),
    event: z
      .string()
      .describe(
        'rollout.halted, rollout.reverted, rollout.completed, sensors.lagging, sensors.recovered or sensors.gone',
      ),
    text: z.string().describe('the sentence the webhook announces'),
    state: z.enum(['delivered', 'pending', 'retrying']),
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
    payload: z.unknown().describe('the JSON body POSTed to the webhook'),
  })
  .meta({ id: 'Notification' });

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function notificationRoutes({ db, webhook }: { db: Db; webhook: WebhookSender }) {
  return [
    route({
      method: 'get',
      path: '/api/v1/notifications',
      tag: 'notifications',
      summary:
        'Recent webhook announcements (halts, reverts, completions, late sensors) and their delivery',
      permission: 'viewer',
      query: z.strictObject({
        before: BigIntId('a notification id')
          .optional()
          .describe('page: notifications older than this id'),
        limit: Limit(500, 50),
      }),
      response: z.object({
        webhookConfigured: z.boolean().describe('false: announcements are kept but not sent'),
        items: z.array(NotificationSchema),
        nextBefore: z.string().nullable(),
      }),
      async handler({ query }) {
        const items = await listNotifications(db, {
          limit: query.limit,
          before: query.before === undefined ? undefined : BigInt(query.before),
        });
        const last = items.at(-1);
        return {
          webhookConfigured: webhook.configured,
          items: items.map((n) => ({
            ...n,
            id: String(n.id),
            nextAttemptAt: iso(n.nextAttemptAt),
            deliveredAt: iso(n.deliveredAt),
            createdAt: n.createdAt.toISOString(),
          })),
          nextBefore: items.length === query.limit && last ? String(last.id) : null,
        };
      },
    }),
  ];
}
