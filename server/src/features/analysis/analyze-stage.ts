// Canary analysis of a rollout's current stage, run by the engine at every step of a baking
// stage and at once when an import report arrives. Sites with new reports are re-judged (their
// verdicts replace the previous ones), then the stage is decided from every site's verdicts.
import type { Tx } from '../../db/transaction.ts';
import type { Bake } from '../rollouts/rollout-schemas.ts';
import type { RolloutRow } from '../rollouts/rollout-store.ts';
import {
  controlChanges,
  databaseNow,
  findVerdicts,
  loadSamples,
  saveVerdicts,
} from './analysis-store.ts';
import { CheckPolicy } from './check-policy.ts';
import { compareWithControl, decideStage, evaluateSite } from './checks.ts';
import type { StageDecision, Verdict } from './checks.ts';

/** Reports may commit a little after they were stamped: re-read this far behind the watermark. */
const overlapMs = 10_000;

export function policyOf(rollout: RolloutRow): CheckPolicy {
  return CheckPolicy.parse(rollout.checkPolicy ?? {});
}

export async function analyzeStage(
  tx: Tx,
  rollout: RolloutRow,
  options: { now: Date },
): Promise<StageDecision> {
  const policy = policyOf(rollout);
  const stage = rollout.currentStage;
  const started = rollout.stageStartedAt ?? options.now;
  const watermark = await databaseNow(tx);
  const since = new Date((rollout.analyzedUpTo ?? watermark).getTime() - overlapMs);

  const samples = await loadSamples(tx, {
    rolloutId: rollout.id,
    stage,
    targetVersion: rollout.targetVersion,
    since,
    baselineImports: policy.baselineImports,
    baselineDays: policy.baselineDays,
  });
  const fresh = samples.flatMap((s) =>
    evaluateSite({
      siteKey: s.siteKey,
      fromVersion: s.fromVersion,
      toVersion: rollout.targetVersion,
      baseline: s.baseline,
      canary: s.canary,
      policy,
    }),
  );
  await saveVerdicts(tx, { rolloutId: rollout.id, stage, verdicts: fresh, at: options.now });
  await tx.rollout.update({ where: { id: rollout.id }, data: { analyzedUpTo: watermark } });

  const all = await findVerdicts(tx, { rolloutId: rollout.id, stage });
  const siteVerdicts: Verdict[] = all.filter((v) => v.siteKey !== '');
  const appliedSites = await tx.rolloutTarget.count({
    where: { rolloutId: rollout.id, stage, status: 'applied' },
  });
  const bakeEnds = started.getTime() + (rollout.bake as Bake).minBakeSeconds * 1000;
  const decision = decideStage({
    siteVerdicts,
    appliedSites,
    bakeOver: options.now.getTime() >= bakeEnds,
    secondsPastBake: Math.max(0, (options.now.getTime() - bakeEnds) / 1000),
    policy,
  });
  if (decision.decision !== 'pass') return decision;

  // Ready to pass: one comparison of the whole stage against the sites not yet upgraded.
  const canary = siteVerdicts
    .filter((v) => v.check === 'imported_products' && v.outcome === 'pass')
    .map((v) => Number(v.numbers.change));
  const control = await controlChanges(tx, {
    rolloutId: rollout.id,
    stageStartedAt: started,
    baselineImports: policy.baselineImports,
    baselineDays: policy.baselineDays,
    limit: 500,
  });
  const comparison = compareWithControl({ canaryChanges: canary, controlChanges: control, policy });
  await saveVerdicts(tx, { rolloutId: rollout.id, stage, verdicts: [comparison], at: options.now });
  return comparison.outcome === 'fail' ? { decision: 'fail', reasons: [comparison] } : decision;
}
