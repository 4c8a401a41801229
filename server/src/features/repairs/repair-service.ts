import type { Db } from '../../db/database.ts';
import type { Actor } from '../../http/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import { appendAudit, engineActor } from '../audit/audit-store.ts';
import type { RevisionWatcher } from '../client-api/revision-watcher.ts';
import type { RevertPolicy } from '../rollouts/halt.ts';
import { lockRollout } from '../rollouts/rollout-store.ts';
import { rolloutRef } from '../rollouts/rollout-state.ts';
import { setPausedMany } from '../sites/pause-sites.ts';
import { claimTasks, countByState, isForward } from './repair-store.ts';
import type { RepairState } from './repair-store.ts';

export type RepairService = ReturnType<typeof createRepairService>;
export type ProgressUpdate = {
  repairId: number;
  siteKey: string;
  state: RepairState;
  reason?: string;
  details?: Record<string, unknown>;
};

const leaseSeconds = 60;

export function createRepairService(deps: { db: Db; clock: Clock; revisions: RevisionWatcher }) {
  const { db, clock } = deps;

  async function get(id: number) {
    const repair = await db.repair.findUnique({ where: { id } });
    if (!repair) throw new NotFoundError(`repair ${id} does not exist`);
    const sites = await db.repairSite.findMany({
      where: { repairId: id },
      orderBy: { siteKey: 'asc' },
      take: 1_000,
    });
    return { repair, sites, counts: await countByState(db, id) };
  }

  return {
    get,

    /**
     * Repairs every site a reverted rollout changed: the ingestion API restores each one's catalog
     * from before its first import on the rollout's version and replays its journal with the
     * current pin (sites that never processed that version finish at once). Idempotent: asking
     * again returns the same repair, and re-queues only the sites that failed.
     */
    async start(options: { rolloutId: number; actor: Actor; reason: string }) {
      const id = await db.$transaction(async (tx) => {
        const rollout = await lockRollout(tx, options.rolloutId);
        if (rollout.state !== 'reverted') {
          throw new ConflictError(
            `rollout ${rolloutRef(rollout.id)} is ${rollout.state}; repair applies to reverted rollouts (revert it first)`,
            [],
            'invalid_state',
          );
        }
        const existing = await tx.repair.findUnique({ where: { rolloutId: rollout.id } });
        if (existing) {
          const retried = await tx.repairSite.updateMany({
            where: { repairId: existing.id, state: 'failed' },
            data: { state: 'queued', reason: null, leaseUntil: null, claimedBy: null },
          });
          if (retried.count > 0) {
            await tx.repair.update({
              where: { id: existing.id },
              data: { state: 'running', endedAt: null },
            });
            await appendAudit(tx, {
              actor: options.actor,
              rolloutId: rollout.id,
              action: 'repair.retried',
              subjectType: 'repair',
              subjectId: String(existing.id),
              reason: options.reason,
              after: { sites: retried.count },
            });
          }
          return existing.id;
        }
        const touched = await tx.rolloutTarget.findMany({
          where: {
            rolloutId: rollout.id,
            status: { in: ['reverted', 'revert_conflict', 'applied'] },
          },
          select: { siteKey: true },
        });
        const paused = new Set(
          (
            await tx.site.findMany({
              where: { key: { in: touched.map((t) => t.siteKey) }, paused: true },
              select: { key: true },
            })
          ).map((s) => s.key),
        );
        const pausedByRevert = (rollout.revertPolicy as RevertPolicy).pauseSites;
        const repair = await tx.repair.create({
          data: { rolloutId: rollout.id, createdBy: options.actor.owner },
        });
        await tx.repairSite.createMany({
          data: touched.map((t) => ({
            repairId: repair.id,
            siteKey: t.siteKey,
            badVersion: rollout.targetVersion,
            since: rollout.startedAt ?? rollout.createdAt,
            resumeWhenDone: pausedByRevert && paused.has(t.siteKey),
          })),
        });
        if (touched.length === 0)
          await tx.repair.update({
            where: { id: repair.id },
            data: { state: 'done', endedAt: clock.now() },
          });
        await appendAudit(tx, {
          actor: options.actor,
          rolloutId: rollout.id,
          action: 'repair.started',
          subjectType: 'repair',
          subjectId: String(repair.id),
          reason: options.reason,
          after: { sites: touched.length, badVersion: rollout.targetVersion },
        });
        return repair.id;
      });
      return get(id);
    },

    claim: (options: { instanceId: string; max: number }) =>
      db.$transaction((tx) => claimTasks(tx, { ...options, leaseSeconds, now: clock.now() })),

    /** Applies progress sent by the ingestion API; resumes sites the revert paused once repaired. */
    async progress(updates: ProgressUpdate[]) {
      const now = clock.now();
      let applied = 0;
      let revision: bigint | null = null;
      await db.$transaction(async (tx) => {
        const finished = new Set<number>();
        for (const update of updates) {
          const site = await tx.repairSite.findUnique({
            where: { repairId_siteKey: { repairId: update.repairId, siteKey: update.siteKey } },
          });
          if (!site || !isForward(site.state as RepairState, update.state)) continue;
          await tx.repairSite.update({
            where: { repairId_siteKey: { repairId: update.repairId, siteKey: update.siteKey } },
            data: {
              state: update.state,
              reason: update.reason ?? null,
              details: (update.details ?? {}) as object,
              // Progress is a sign of life: the lease runs on.
              leaseUntil: new Date(now.getTime() + leaseSeconds * 1000),
            },
          });
          applied++;
          if (update.state === 'done' && site.resumeWhenDone) {
            const resumed = await setPausedMany(tx, {
              keys: [site.siteKey],
              paused: false,
              actor: engineActor,
              reason: `repaired by repair ${site.repairId}`,
              audit: { subjectType: 'site', subjectId: site.siteKey },
            });
            revision = resumed.revision ?? revision;
          }
          if (update.state === 'done' || update.state === 'failed') finished.add(update.repairId);
        }
        for (const repairId of finished) {
          const counts = await countByState(tx, repairId);
          const open = Object.entries(counts).some(
            ([state, n]) => n > 0 && state !== 'done' && state !== 'failed',
          );
          if (open) continue;
          const state = (counts.failed ?? 0) > 0 ? 'failed' : 'done';
          const repair = await tx.repair.update({
            where: { id: repairId },
            data: { state, endedAt: now },
          });
          await appendAudit(tx, {
            actor: engineActor,
            rolloutId: repair.rolloutId,
            action: 'repair.finished',
            subjectType: 'repair',
            subjectId: String(repairId),
            after: { state, ...counts },
          });
        }
      });
      if (revision) deps.revisions.committed(revision);
      return { applied };
    },
  };
}
