// The steps that move a started rollout forward. Each runs inside the caller's transaction with
// the rollout row locked, so a step happens once whoever calls it (engine tick or API) and a
// crash between steps leaves a state the next step continues from.
import type { Tx } from '../../db/transaction.ts';
import { databaseNow } from '../analysis/analysis-store.ts';
import { appendAudit } from '../audit/audit-store.ts';
import type { AuditActor } from '../audit/audit-store.ts';
import { enqueueNotification } from '../notifications/notification-store.ts';
import { writePins } from '../pins/pin-writer.ts';
import { rolloutRef } from './rollout-state.ts';
import type { Stage } from './rollout-schemas.ts';
import {
  markApplied,
  markSkipped,
  pendingTargets,
  releaseSites,
  updateRollout,
} from './rollout-store.ts';
import type { RolloutRow } from './rollout-store.ts';

/** Pins the current stage's sites (compare-and-set against the plan), then starts its bake. */
export async function applyStage(
  tx: Tx,
  rollout: RolloutRow,
  options: { now: Date; actor: AuditActor },
) {
  const stage = rollout.currentStage;
  const pending = await pendingTargets(tx, rollout.id, stage);
  const written = await writePins(tx, {
    changes: pending.map((t) => ({
      siteKey: t.siteKey,
      from: t.fromVersion,
      to: rollout.targetVersion,
    })),
    actor: options.actor,
    reason: `rollout ${rolloutRef(rollout.id)} stage ${stage + 1}`,
    rolloutId: rollout.id,
    audit: {
      action: 'rollout.stage_applied',
      subjectType: 'rollout',
      subjectId: String(rollout.id),
      details: { stage: stage + 1 },
    },
  });
  await markApplied(
    tx,
    rollout.id,
    written.applied.map((c) => c.siteKey),
    options.now,
  );
  // Sites whose pin changed since the plan: skipped, never overwritten.
  await markSkipped(tx, {
    rolloutId: rollout.id,
    status: 'skipped_changed',
    skipped: written.skipped,
  });
  await updateRollout(tx, rollout.id, {
    phase: 'baking',
    stageStartedAt: options.now,
    // Canary analysis of this stage reads the reports that arrive from now on.
    analyzedUpTo: await databaseNow(tx),
  });
  return {
    revision: written.revision,
    applied: written.applied.length,
    skipped: written.skipped.length,
  };
}

/** Ends the current stage: the next one starts applying, or the rollout completes. */
export async function passStage(
  tx: Tx,
  rollout: RolloutRow,
  options: { now: Date; actor: AuditActor; reason: string },
) {
  const stages = rollout.stages as Stage[];
  const last = rollout.currentStage >= stages.length - 1;
  await appendAudit(tx, {
    actor: options.actor,
    rolloutId: rollout.id,
    action: 'rollout.stage_passed',
    subjectType: 'rollout',
    subjectId: String(rollout.id),
    reason: options.reason,
    after: { stage: rollout.currentStage + 1 },
  });
  if (last) {
    await updateRollout(tx, rollout.id, { state: 'completed', phase: null, endedAt: options.now });
    await releaseSites(tx, rollout.id);
    await appendAudit(tx, {
      actor: options.actor,
      rolloutId: rollout.id,
      action: 'rollout.completed',
      subjectType: 'rollout',
      subjectId: String(rollout.id),
    });
    const reached = await tx.rolloutTarget.count({
      where: { rolloutId: rollout.id, status: 'applied' },
    });
    await enqueueNotification(tx, {
      event: 'rollout.completed',
      text: `:white_check_mark: Rollout ${rolloutRef(rollout.id)} completed: ${reached} site(s) on ${rollout.targetVersion}.`,
      rollout: { id: rollout.id, targetVersion: rollout.targetVersion, state: 'completed' },
      details: { sites: reached },
    });
    return 'completed' as const;
  }
  await updateRollout(tx, rollout.id, {
    currentStage: rollout.currentStage + 1,
    phase: 'applying',
    stageStartedAt: null,
  });
  return 'next' as const;
}
