import { z } from 'zod';

/** Canary checks of a rollout. The defaults would have caught the incident in its first stage. */
export const CheckPolicy = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .describe('turn canary analysis off (stages then pass on bake rules alone)'),
  maxImportedDropPercent: z
    .number()
    .min(0)
    .max(100)
    .default(5)
    .describe('fail a site whose imported products drop more than this vs its own baseline'),
  maxAcceptanceDropPercent: z
    .number()
    .min(0)
    .max(100)
    .default(5)
    .describe('fail a site whose imported/received ratio drops more than this (relative)'),
  maxErrorRateIncreasePercent: z
    .number()
    .min(0)
    .max(100)
    .default(2)
    .describe('fail when errored products / received rises more than this many points'),
  failOnFailedImports: z.boolean().default(true),
  maxDurationIncreasePercent: z.number().min(0).default(50),
  durationRequired: z.boolean().default(false).describe('duration is a warning unless this is set'),
  baselineImports: z.number().int().min(1).max(50).default(5),
  baselineDays: z.number().min(0.01).max(90).default(7),
  minBaselineImports: z.number().int().min(1).max(50).default(3),
  minCanaryImports: z.number().int().min(1).max(50).default(1),
  mannWhitneyAlpha: z.number().gt(0).lt(0.5).default(0.01),
  mannWhitneyMinSamples: z.number().int().min(3).max(1_000).default(5),
  mannWhitneyTolerancePercent: z
    .number()
    .min(0)
    .max(100)
    .default(2)
    .describe('ignore a significant difference smaller than this'),
  maxWaitSeconds: z
    .number()
    .int()
    .min(0)
    .default(3_600)
    .describe('after the bake, how long to wait for enough data'),
  onInsufficientData: z.enum(['halt', 'wait']).default('halt'),
});
export type CheckPolicy = z.output<typeof CheckPolicy>;
export const defaultCheckPolicy: CheckPolicy = CheckPolicy.parse({});
