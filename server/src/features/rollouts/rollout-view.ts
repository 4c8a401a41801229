import type { z } from 'zod';
import type { RolloutSchema } from './rollout-schemas.ts';
import type { RolloutRow } from './rollout-store.ts';
import { policyOf } from '../analysis/analyze-stage.ts';
import { rolloutRef } from './rollout-state.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toRolloutBody(view: {
  rollout: RolloutRow;
  progress: Record<string, number>;
  waiting?: string | null;
}): z.input<typeof RolloutSchema> {
  const r = view.rollout;
  return {
    id: r.id,
    ref: rolloutRef(r.id),
    state: r.state,
    targetVersion: r.targetVersion,
    cohortId: r.cohortId,
    selector: r.selector,
    description: r.description,
    stages: r.stages as never,
    bake: r.bake as never,
    revertPolicy: r.revertPolicy as never,
    checks: policyOf(r),
    currentStage: r.currentStage + 1,
    phase: r.phase,
    stageStartedAt: iso(r.stageStartedAt),
    targetCount: r.targetCount,
    fingerprint: r.fingerprint,
    approvalRequired: r.approvalRequired,
    createdBy: r.createdBy,
    approvedBy: r.approvedBy,
    startedBy: r.startedBy,
    createdAt: r.createdAt.toISOString(),
    startedAt: iso(r.startedAt),
    endedAt: iso(r.endedAt),
    endReason: r.endReason,
    summary: r.summary as never,
    progress: view.progress,
    waiting: view.waiting ?? null,
  };
}
