import { z } from 'zod';
import { IntId, IntIdBody, PrefixedId } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import { repairStates } from './repair-store.ts';
import type { RepairService } from './repair-service.ts';

const RepairSiteSchema = z
  .object({
    siteKey: z.string(),
    badVersion: z.string(),
    state: z.enum(repairStates),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'RepairSite' });

const RepairSchema = z
  .object({
    id: z.number().int(),
    rolloutId: z.number().int(),
    state: z.enum(['running', 'done', 'failed']),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    endedAt: z.iso.datetime().nullable(),
    counts: z.record(z.string(), z.number().int()).describe('sites by state'),
    sites: z.array(RepairSiteSchema).describe('up to 1,000 sites'),
  })
  .meta({ id: 'Repair' });

type View = Awaited<ReturnType<RepairService['get']>>;
const toBody = ({ repair, sites, counts }: View): z.input<typeof RepairSchema> => ({
  id: repair.id,
  rolloutId: repair.rolloutId,
  state: repair.state as 'running' | 'done' | 'failed',
  createdBy: repair.createdBy,
  createdAt: repair.createdAt.toISOString(),
  endedAt: repair.endedAt?.toISOString() ?? null,
  counts,
  sites: sites.map((s) => ({
    siteKey: s.siteKey,
    badVersion: s.badVersion,
    state: s.state as (typeof repairStates)[number],
    reason: s.reason,
    details: s.details as Record<string, unknown>,
    updatedAt: s.updatedAt.toISOString(),
  })),
});

export function repairRoutes({ repairs }: { repairs: RepairService }) {
  return [
    route({
      method: 'post',
      path: '/api/v1/rollouts/:id/repair',
      tag: 'repairs',
      summary:
        'Repair every site a reverted rollout touched: restore, replay with the current pin, re-export',
      description:
        'Idempotent: asking again returns the same repair and re-queues only sites that failed.',
      permission: 'operator',
      params: z.object({ id: PrefixedId('r', 'rollout') }),
      body: z.strictObject({ reason: z.string().trim().min(1, 'give a reason').max(500) }),
      status: 202,
      response: RepairSchema,
      errors: [404, 409],
      handler: async ({ params, body, actor }) =>
        toBody(await repairs.start({ rolloutId: params.id, actor, reason: body.reason })),
    }),
    route({
      method: 'get',
      path: '/api/v1/repairs/:id',
      tag: 'repairs',
      summary: 'Progress of a repair, overall and per site',
      permission: 'viewer',
      params: z.object({ id: IntId }),
      response: RepairSchema,
      errors: [404],
      handler: async ({ params }) => toBody(await repairs.get(params.id)),
    }),
    route({
      method: 'post',
      path: '/api/v1/repairs/claim',
      tag: 'repairs',
      summary: 'The ingestion API takes site repairs to run (leased for 60 s, renewed by progress)',
      permission: 'ingest',
      body: z.strictObject({
        instanceId: z.string().min(1).max(200),
        max: z.number().int().min(1).max(100),
      }),
      response: z.object({
        tasks: z.array(
          z.object({
            repairId: z.number().int(),
            siteKey: z.string(),
            badVersion: z.string(),
            since: z.iso.datetime(),
            leaseUntil: z.iso.datetime(),
          }),
        ),
      }),
      handler: async ({ body }) => ({
        tasks: (await repairs.claim(body)).map((t) => ({
          ...t,
          since: t.since.toISOString(),
          leaseUntil: t.leaseUntil.toISOString(),
        })),
      }),
    }),
    route({
      method: 'post',
      path: '/api/v1/repairs/progress',
      tag: 'repairs',
      summary: 'The ingestion API reports repair progress (idempotent; only forward moves count)',
      permission: 'ingest',
      body: z.strictObject({
        updates: z
          .array(
            z.strictObject({
              repairId: IntIdBody,
              siteKey: z.string().min(1).max(64),
              state: z.enum(repairStates).exclude(['queued']),
              reason: z.string().max(1_000).optional(),
              details: z.record(z.string(), z.unknown()).optional(),
            }),
          )
          .min(1)
          .max(1_000),
      }),
      response: z.object({ applied: z.number().int() }),
      handler: ({ body }) => repairs.progress(body.updates),
    }),
  ];
}
