import type { Tx } from '../../db/transaction.ts';
import type { AuditActor } from '../audit/audit-store.ts';
import { enqueueNotification } from '../notifications/notification-store.ts';
import { writePins } from '../pins/pin-writer.ts';
import { rolloutRef } from './rollout-state.ts';
import {
  appliedTargets,
  markReverted,
  markSkipped,
  releaseSites,
  updateRollout,
} from './rollout-store.ts';
import type { RolloutRow } from './rollout-store.ts';

export type RevertConflict = { siteKey: string; expected: string; found: string | null };

/**
 * Sets every site the rollout changed back to its pre-rollout pin, in the caller's transaction.
 * A site whose pin someone changed after the rollout is listed, not overwritten.
 */
export async function revertRollout(
  tx: Tx,
  rollout: RolloutRow,
  options: { now: Date; actor: AuditActor; reason: string },
) {
  const applied = await appliedTargets(tx, rollout.id);
  const written = await writePins(tx, {
    changes: applied.map((t) => ({
      siteKey: t.siteKey,
      from: rollout.targetVersion,
      to: t.fromVersion,
    })),
    actor: options.actor,
    reason: `revert of rollout ${rolloutRef(rollout.id)}: ${options.reason}`,
    rolloutId: rollout.id,
    audit: {
      action: 'rollout.reverted',
      subjectType: 'rollout',
      subjectId: String(rollout.id),
      details: { from: rollout.state },
    },
  });
  await markReverted(
    tx,
    rollout.id,
    written.applied.map((c) => c.siteKey),
    options.now,
  );
  await markSkipped(tx, {
    rolloutId: rollout.id,
    status: 'revert_conflict',
    skipped: written.skipped,
  });
  await updateRollout(tx, rollout.id, {
    state: 'reverted',
    phase: null,
    endedAt: options.now,
    endReason: options.reason,
  });
  await releaseSites(tx, rollout.id);
  const left = written.skipped.length
    ? ` ${written.skipped.length} site(s) someone changed since were left alone.`
    : '';
  await enqueueNotification(tx, {
    event: 'rollout.reverted',
    text: `:leftwards_arrow_with_hook: Rollout ${rolloutRef(rollout.id)} to ${rollout.targetVersion} reverted: ${written.applied.length} site(s) back on their previous version (${options.reason}).${left}`,
    rollout: { id: rollout.id, targetVersion: rollout.targetVersion, state: 'reverted' },
    details: {
      reverted: written.applied.length,
      conflicts: written.skipped.slice(0, 100).map((c) => ({ siteKey: c.siteKey, found: c.found })),
    },
  });
  const conflicts: RevertConflict[] = written.skipped.map((s) => ({
    siteKey: s.siteKey,
    expected: s.from,
    found: s.found,
  }));
  return {
    reverted: written.applied.length,
    sites: written.applied.map((c) => c.siteKey),
    conflicts,
    revision: written.revision,
  };
}
