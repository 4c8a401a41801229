import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { BigIntId, Limit, PrefixedId, QueryDate } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import { findAudit } from './audit-store.ts';

const AuditEventSchema = z
  .object({
    id: z.string(),
    actor: z.string(),
    token: z.string().nullable().describe('the token the actor used'),
    rolloutId: z.number().int().nullable(),
    action: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    reason: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditEvent' });

const AuditQuery = z.strictObject({
  site: z.string().optional().describe('events about this site'),
  rollout: PrefixedId('r', 'rollout')
    .optional()
    .describe('events of this rollout, including the pin changes it made'),
  subjectType: z.string().optional(),
  subjectId: z.string().optional(),
  actor: z.string().optional(),
  action: z.string().optional(),
  since: QueryDate.optional(),
  until: QueryDate.optional(),
  before: BigIntId('an event id').optional().describe('page: events older than this id'),
  limit: Limit(500, 100),
});

export function auditRoutes({ db }: { db: Db }) {
  return [
    route({
      method: 'get',
      path: '/api/v1/audit',
      tag: 'audit',
      summary:
        'List audit events, newest first (append-only: there is no way to edit or delete them)',
      permission: 'viewer',
      query: AuditQuery,
      response: z.object({ items: z.array(AuditEventSchema), nextBefore: z.string().nullable() }),
      async handler({ query }) {
        const items = await findAudit(db, {
          subjectType: query.site ? 'site' : query.subjectType,
          subjectId: query.site ?? query.subjectId,
          rolloutId: query.rollout,
          actor: query.actor,
          action: query.action,
          since: query.since,
          until: query.until,
          before: query.before === undefined ? undefined : BigInt(query.before),
          limit: query.limit,
        });
        const last = items.at(-1);
        return {
          items: items.map((e) => ({
            ...e,
            id: String(e.id),
            createdAt: e.createdAt.toISOString(),
          })),
          nextBefore: items.length === query.limit && last ? String(last.id) : null,
        };
      },
    }),
  ];
}
