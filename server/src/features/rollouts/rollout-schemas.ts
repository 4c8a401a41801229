import { z } from 'zod';
import { IntIdBody } from '../../http/number-params.ts';
import { CheckPolicy, defaultCheckPolicy } from '../analysis/check-policy.ts';
import { SiteKey, VersionName } from '../sites/site-schemas.ts';

export const Stage = z.union([
  z.strictObject({
    count: z.number().int().min(1).max(1_000).describe('a canary stage of this many sites'),
  }),
  z.strictObject({
    percent: z.number().gt(0).max(100).describe('cumulative share of the target sites'),
  }),
]);
export type Stage = z.output<typeof Stage>;

/** A first canary stage by count, then increasing percentages ending at 100. */
export const Stages = z
  .array(Stage)
  .min(1, 'give at least one stage')
  .max(20)
  .superRefine((stages, ctx) => {
    let last = 0;
    stages.forEach((stage, i) => {
      if ('count' in stage) {
        if (i > 0)
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: 'only the first stage may be a count',
          });
        return;
      }
      if (stage.percent <= last) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'percent'],
          message: `percentages must increase (${stage.percent} after ${last})`,
        });
      }
      last = stage.percent;
    });
    const final = stages.at(-1);
    if (final && !('percent' in final && final.percent === 100)) {
      ctx.addIssue({
        code: 'custom',
        path: [stages.length - 1],
        message: 'the last stage must be { "percent": 100 }, so every planned site is reached',
      });
    }
  });

export const Bake = z.strictObject({
  minBakeSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(600),
  minImportsPerSite: z.number().int().min(0).max(1_000).default(1),
});
export type Bake = z.output<typeof Bake>;

export const RevertPolicy = z.strictObject({
  automatic: z.boolean().default(true).describe('revert at once when a check halts the rollout'),
  pauseSites: z
    .boolean()
    .default(false)
    .describe('also pause the reverted sites until they are repaired'),
});

export const defaultStages: Stage[] = [
  { count: 2 },
  { percent: 10 },
  { percent: 50 },
  { percent: 100 },
];

export const CreateRolloutBody = z
  .strictObject({
    targetVersion: VersionName,
    cohortId: IntIdBody.optional(),
    selector: z.string().max(2_000).optional(),
    siteKeys: z.array(SiteKey).max(100_000).optional(),
    description: z.string().max(1_000).default(''),
    stages: Stages.default(defaultStages),
    bake: Bake.default({ minBakeSeconds: 600, minImportsPerSite: 1 }),
    checks: CheckPolicy.default(defaultCheckPolicy),
    revertPolicy: RevertPolicy.default({ automatic: true, pauseSites: false }),
  })
  .refine(
    (b) => (b.cohortId === undefined) !== (b.selector === undefined && b.siteKeys === undefined),
    {
      message: 'give either cohortId, or a selector and/or siteKeys',
      path: ['cohortId'],
    },
  );
export type CreateRolloutBody = z.output<typeof CreateRolloutBody>;

export const Reason = z.string().trim().min(1, 'give a reason').max(1_000);

export const RolloutSchema = z
  .object({
    id: z.number().int(),
    ref: z.string().describe('r-<id>'),
    state: z.enum([
      'awaiting_approval',
      'planned',
      'running',
      'paused',
      'halted',
      'reverting',
      'reverted',
      'completed',
      'aborted',
    ]),
    targetVersion: z.string(),
    cohortId: z.number().int().nullable(),
    selector: z.string().nullable(),
    description: z.string(),
    stages: z.array(Stage),
    bake: Bake,
    revertPolicy: RevertPolicy,
    checks: CheckPolicy,
    currentStage: z.number().int().describe('1-based; 0 before the rollout starts'),
    phase: z.enum(['applying', 'baking']).nullable(),
    stageStartedAt: z.iso.datetime().nullable(),
    targetCount: z.number().int(),
    fingerprint: z.string(),
    approvalRequired: z.boolean(),
    createdBy: z.string(),
    approvedBy: z.string().nullable(),
    startedBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    endedAt: z.iso.datetime().nullable(),
    endReason: z.string().nullable(),
    summary: z.object({
      byFromVersion: z.record(z.string(), z.number()),
      byLabel: z.record(z.string(), z.record(z.string(), z.number())),
      stageSizes: z.array(z.number().int()),
      alreadyOnTarget: z.number().int(),
    }),
    progress: z.record(z.string(), z.number().int()).describe('targets by status'),
    waiting: z
      .string()
      .nullable()
      .describe(
        'why a running rollout does not start its next stage now (import reports are late), or null',
      ),
  })
  .meta({ id: 'Rollout' });
