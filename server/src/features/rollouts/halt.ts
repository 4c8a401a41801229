import type { Tx } from '../../db/transaction.ts';
import { appendAudit } from '../audit/audit-store.ts';
import type { AuditActor } from '../audit/audit-store.ts';
import { enqueueNotification } from '../notifications/notification-store.ts';
import { setPausedMany } from '../sites/pause-sites.ts';
import { revertRollout } from './revert.ts';
import { rolloutRef } from './rollout-state.ts';
import { updateRollout } from './rollout-store.ts';
import type { RolloutRow } from './rollout-store.ts';

export type RevertPolicy = { automatic: boolean; pauseSites: boolean };

/**
 * Stops a rollout where it is. With `revert` (a failed check and the default revert policy) it
 * also reverts every site it changed, in the same transaction, and — when the policy says so —
 * pauses those sites until they are repaired.
 */
export async function haltRollout(
  tx: Tx,
  rollout: RolloutRow,
  options: { now: Date; actor: AuditActor; reason: string; findings?: string[]; revert: boolean },
) {
  await updateRollout(tx, rollout.id, { state: 'halted', endReason: options.reason });
  await appendAudit(tx, {
    actor: options.actor,
    rolloutId: rollout.id,
    action: 'rollout.halted',
    subjectType: 'rollout',
    subjectId: String(rollout.id),
    reason: options.reason,
    before: { state: rollout.state, stage: rollout.currentStage + 1 },
    after: { findings: (options.findings ?? []).slice(0, 20) },
  });
  await enqueueNotification(tx, {
    event: 'rollout.halted',
    text: `:rotating_light: Rollout ${rolloutRef(rollout.id)} to ${rollout.targetVersion} halted in stage ${rollout.currentStage + 1}: ${options.reason}${options.revert ? ' Reverting it now.' : ''}`,
    rollout: {
      id: rollout.id,
      targetVersion: rollout.targetVersion,
      state: 'halted',
      stage: rollout.currentStage + 1,
    },
    details: { findings: (options.findings ?? []).slice(0, 20) },
  });
  if (!options.revert) return { reverted: null, paused: [] as string[], revision: null };

  const halted = { ...rollout, state: 'halted' as const };
  const reverted = await revertRollout(tx, halted, {
    now: options.now,
    actor: options.actor,
    reason: `automatic revert: ${options.reason}`,
  });
  const paused = await pauseRevertedSites(tx, rollout, {
    sites: reverted.sites,
    actor: options.actor,
  });
  return { reverted, paused: paused.changed, revision: paused.revision ?? reverted.revision };
}

/**
 * The revert policy's second half, for an automatic and a manual revert alike: with
 * `pauseSites`, the sites just set back are paused until someone repairs and resumes them.
 */
export async function pauseRevertedSites(
  tx: Tx,
  rollout: RolloutRow,
  options: { sites: string[]; actor: AuditActor },
): Promise<{ changed: string[]; revision: bigint | null }> {
  if (!(rollout.revertPolicy as RevertPolicy).pauseSites) return { changed: [], revision: null };
  return setPausedMany(tx, {
    keys: options.sites,
    paused: true,
    actor: options.actor,
    reason: `paused by the revert of ${rolloutRef(rollout.id)} until repaired`,
    rolloutId: rollout.id,
    audit: { subjectType: 'rollout', subjectId: String(rollout.id) },
  });
}
