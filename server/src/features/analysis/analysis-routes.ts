import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { PrefixedId } from '../../http/number-params.ts';
import { route } from '../../http/route.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { rolloutRef } from '../rollouts/rollout-state.ts';
import { findVerdicts } from './analysis-store.ts';

const CheckResult = z
  .object({
    check: z.string(),
    outcome: z.enum(['pass', 'fail', 'warn', 'insufficient']),
    required: z.boolean(),
    message: z
      .string()
      .describe(
        'what a person reads, e.g. "site s-17: imported 612 products on v2, baseline 1,004 on v1 (−39%), threshold −5%"',
      ),
    numbers: z.record(z.string(), z.union([z.number(), z.string()])),
    evaluatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CheckResult' });

const rank = { fail: 0, insufficient: 1, warn: 2, pass: 3 } as const;

export function analysisRoutes({ db }: { db: Db }) {
  return [
    route({
      method: 'get',
      path: '/api/v1/rollouts/:id/analysis',
      tag: 'rollouts',
      summary:
        "Canary analysis of every stage: each check's verdict per site, with its numbers and a sentence",
      permission: 'viewer',
      params: z.object({ id: PrefixedId('r', 'rollout') }),
      response: z.object({
        rolloutId: z.number().int(),
        ref: z.string(),
        state: z.string(),
        endReason: z.string().nullable(),
        stages: z.array(
          z.object({
            stage: z.number().int().describe('1-based'),
            outcomes: z
              .record(z.string(), z.number().int())
              .describe('sites by their worst required outcome'),
            stageChecks: z.array(CheckResult),
            sites: z.array(
              z.object({ siteKey: z.string(), outcome: z.string(), checks: z.array(CheckResult) }),
            ),
          }),
        ),
      }),
      errors: [404],
      async handler({ params }) {
        const rollout = await db.rollout.findUnique({ where: { id: params.id } });
        if (!rollout) throw new NotFoundError(`rollout ${rolloutRef(params.id)} does not exist`);
        const verdicts = await findVerdicts(db, { rolloutId: rollout.id });
        const stages = new Map<number, typeof verdicts>();
        for (const v of verdicts) stages.set(v.stage, [...(stages.get(v.stage) ?? []), v]);
        const body = (v: (typeof verdicts)[number]) => ({
          check: v.check,
          outcome: v.outcome,
          required: v.required,
          message: v.message,
          numbers: v.numbers,
          evaluatedAt: v.evaluatedAt.toISOString(),
        });
        return {
          rolloutId: rollout.id,
          ref: rolloutRef(rollout.id),
          state: rollout.state,
          endReason: rollout.endReason,
          stages: [...stages].map(([stage, list]) => {
            const bySite = new Map<string, typeof list>();
            for (const v of list.filter((v) => v.siteKey !== ''))
              bySite.set(v.siteKey, [...(bySite.get(v.siteKey) ?? []), v]);
            const sites = [...bySite].map(([siteKey, checks]) => {
              const worst = checks
                .filter((c) => c.required)
                .sort((a, b) => rank[a.outcome] - rank[b.outcome])[0];
              return { siteKey, outcome: worst?.outcome ?? 'pass', checks: checks.map(body) };
            });
            sites.sort(
              (a, b) =>
                rank[a.outcome as keyof typeof rank] - rank[b.outcome as keyof typeof rank] ||
                (a.siteKey < b.siteKey ? -1 : 1),
            );
            const outcomes: Record<string, number> = {};
            for (const s of sites) outcomes[s.outcome] = (outcomes[s.outcome] ?? 0) + 1;
            return {
              stage: stage + 1,
              outcomes,
              stageChecks: list.filter((v) => v.siteKey === '').map(body),
              sites: sites.slice(0, 500),
            };
          }),
        };
      },
    }),
  ];
}
