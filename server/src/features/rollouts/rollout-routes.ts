import { z } from 'zod';
import { Limit, Offset, PrefixedId } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import { CreateRolloutBody, Reason, RolloutSchema } from './rollout-schemas.ts';
import type { RolloutService } from './rollout-service.ts';
import { toRolloutBody } from './rollout-view.ts';

const params = z.object({ id: PrefixedId('r', 'rollout') });
const ReasonBody = z.strictObject({ reason: Reason });
const Override = z
  .strictObject({ reason: Reason })
  .optional()
  .describe('admin only: act inside a freeze window');
const states = [
  'awaiting_approval',
  'planned',
  'running',
  'paused',
  'halted',
  'reverting',
  'reverted',
  'completed',
  'aborted',
] as const;
const asList = <T>(v: T | T[] | undefined) =>
  v === undefined ? undefined : Array.isArray(v) ? v : [v];

const TargetSchema = z
  .object({
    siteKey: z.string(),
    fromVersion: z.string(),
    stage: z.number().int().describe('1-based'),
    status: z.enum(['pending', 'applied', 'skipped_changed', 'reverted', 'revert_conflict']),
    appliedAt: z.iso.datetime().nullable(),
    revertedAt: z.iso.datetime().nullable(),
    foundVersion: z.string().nullable(),
  })
  .meta({ id: 'RolloutTarget' });

export function rolloutRoutes({ rollouts }: { rollouts: RolloutService }) {
  const action = (
    name: string,
    permission: 'operator' | 'release',
    summary: string,
    run: (
      id: number,
      body: { reason: string },
      actor: Parameters<RolloutService['pause']>[1],
    ) => ReturnType<RolloutService['get']>,
  ) =>
    route({
      method: 'post',
      path: `/api/v1/rollouts/:id/${name}`,
      tag: 'rollouts',
      summary,
      permission,
      params,
      body: ReasonBody,
      response: RolloutSchema,
      errors: [404, 409],
      handler: async ({ params, body, actor }) => toRolloutBody(await run(params.id, body, actor)),
    });

  return [
    route({
      method: 'post',
      path: '/api/v1/rollouts',
      tag: 'rollouts',
      summary:
        'Plan a rollout: resolve the sites once, freeze them with their current pins, show the blast radius',
      description:
        'Give a cohortId, or a selector and/or siteKeys. Sites already on the target version are left out. ' +
        'Starting the plan needs its count and fingerprint; plans above the approval threshold need a second release engineer first.',
      permission: 'release',
      body: CreateRolloutBody,
      status: 201,
      response: RolloutSchema,
      errors: [404, 409, 422],
      handler: async ({ body, actor }) => toRolloutBody(await rollouts.plan({ body, actor })),
    }),
    route({
      method: 'get',
      path: '/api/v1/rollouts',
      tag: 'rollouts',
      summary: 'List rollouts, newest first',
      permission: 'viewer',
      query: z.strictObject({
        state: z
          .union([z.enum(states), z.array(z.enum(states))])
          .optional()
          .transform(asList),
        limit: Limit(200, 50),
      }),
      response: z.object({
        items: z.array(RolloutSchema.omit({ progress: true, waiting: true })),
      }),
      handler: async ({ query }) => ({
        items: (await rollouts.list(query.state, query.limit)).map((rollout) => {
          const { progress: _, waiting: __, ...body } = toRolloutBody({ rollout, progress: {} });
          return body;
        }),
      }),
    }),
    route({
      method: 'get',
      path: '/api/v1/rollouts/:id',
      tag: 'rollouts',
      summary: 'One rollout with its plan, stage and progress',
      permission: 'viewer',
      params,
      response: RolloutSchema,
      errors: [404],
      handler: async ({ params }) => toRolloutBody(await rollouts.get(params.id)),
    }),
    route({
      method: 'get',
      path: '/api/v1/rollouts/:id/targets',
      tag: 'rollouts',
      summary: "The rollout's sites: stage, pre-rollout pin and status",
      permission: 'viewer',
      params,
      query: z.strictObject({
        status: z
          .enum(['pending', 'applied', 'skipped_changed', 'reverted', 'revert_conflict'])
          .optional(),
        stage: z.coerce.number().int().min(1).max(1_000).optional().describe('1-based'),
        limit: Limit(1_000, 100),
        offset: Offset,
      }),
      response: z.object({ items: z.array(TargetSchema), total: z.number().int() }),
      errors: [404],
      handler: async ({ params, query }) => {
        await rollouts.get(params.id);
        const { items, total } = await rollouts.targets({
          rolloutId: params.id,
          status: query.status,
          stage: query.stage === undefined ? undefined : query.stage - 1,
          limit: query.limit,
          offset: query.offset,
        });
        return {
          total,
          items: items.map((t) => ({
            siteKey: t.siteKey,
            fromVersion: t.fromVersion,
            stage: t.stage + 1,
            status: t.status,
            appliedAt: t.appliedAt?.toISOString() ?? null,
            revertedAt: t.revertedAt?.toISOString() ?? null,
            foundVersion: t.foundVersion,
          })),
        };
      },
    }),
    action(
      'approve',
      'release',
      'Approve a plan above the approval threshold (not by its author)',
      (id, b, actor) => rollouts.approve(id, actor, b.reason),
    ),
    route({
      method: 'post',
      path: '/api/v1/rollouts/:id/start',
      tag: 'rollouts',
      summary:
        'Start a plan: confirm its exact site count and fingerprint (refused if they differ)',
      permission: 'release',
      params,
      body: z.strictObject({
        confirm: z.strictObject({
          count: z.number().int().min(0),
          fingerprint: z.string().min(1).max(64),
        }),
        override: Override,
      }),
      response: RolloutSchema,
      errors: [404, 409, 422],
      handler: async ({ params, body, actor }) =>
        toRolloutBody(
          await rollouts.start(params.id, {
            confirm: body.confirm,
            override: body.override,
            actor,
          }),
        ),
    }),
    action('pause', 'operator', 'Pause a running rollout where it is', (id, b, actor) =>
      rollouts.pause(id, actor, b.reason),
    ),
    action('resume', 'release', 'Resume a paused rollout', (id, b, actor) =>
      rollouts.resume(id, actor, b.reason),
    ),
    action(
      'halt',
      'operator',
      'Halt a rollout: it stops, keeps its pins, and waits for a revert or a look',
      (id, b, actor) => rollouts.halt(id, actor, b.reason),
    ),
    action('abort', 'release', 'Abort a plan that has not started', (id, b, actor) =>
      rollouts.abort(id, actor, b.reason),
    ),
    route({
      method: 'post',
      path: '/api/v1/rollouts/:id/advance',
      tag: 'rollouts',
      summary: 'Pass the current stage by hand and go on to the next',
      permission: 'release',
      params,
      body: z.strictObject({ reason: Reason, override: Override }),
      response: RolloutSchema,
      errors: [404, 409],
      handler: async ({ params, body, actor }) =>
        toRolloutBody(
          await rollouts.advance(params.id, {
            actor,
            reason: body.reason,
            override: body.override,
          }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/v1/rollouts/:id/revert',
      tag: 'rollouts',
      summary:
        'Revert every site the rollout changed to its pre-rollout pin, in one transaction (idempotent)',
      description:
        'Sites whose pin someone else changed after the rollout are listed in `conflicts`, not overwritten.',
      permission: 'operator',
      params,
      body: ReasonBody,
      response: RolloutSchema.extend({
        alreadyReverted: z.boolean(),
        reverted: z.number().int(),
        paused: z
          .array(z.string())
          .describe("sites the revert paused, as the rollout's revertPolicy.pauseSites asks"),
        conflicts: z.array(
          z.object({ siteKey: z.string(), expected: z.string(), found: z.string().nullable() }),
        ),
      }),
      errors: [404, 409],
      handler: async ({ params, body, actor }) => {
        const outcome = await rollouts.revert(params.id, actor, body.reason);
        return {
          ...toRolloutBody(outcome),
          alreadyReverted: outcome.alreadyReverted,
          reverted: outcome.reverted,
          paused: outcome.paused,
          conflicts: outcome.conflicts,
        };
      },
    }),
  ];
}
