import type { Db } from '../../db/database.ts';
import type { Tx } from '../../db/transaction.ts';
import type { ClaimedRepair, RepairProgress, RepairState } from './control-plane-client.ts';

export type RepairTask = {
  repairId: number;
  siteKey: string;
  badVersion: string;
  since: Date;
  /** When the task was stored or last changed state. */
  updatedAt: Date;
};

/**
 * Keeps claimed repairs locally, so they survive restarts and outages of either process. A task
 * claimed again is one whose progress the control plane did not get: its state is sent again. A
 * task done here stays done (reported again, not redone); one that failed here is run again —
 * the control plane hands a failed site out again only when someone asked to retry it.
 */
export async function storeClaimedRepairs(db: Db, options: { tasks: ClaimedRepair[]; now: Date }) {
  if (options.tasks.length === 0) return;
  const rows = options.tasks.map((t) => ({
    repair_id: t.repairId,
    site_key: t.siteKey,
    bad_version: t.badVersion,
    since: t.since,
  }));
  await db.$executeRaw`
    INSERT INTO ingest_repair_tasks (repair_id, site_key, bad_version, since, state, updated_at)
    SELECT t.repair_id, t.site_key, t.bad_version, (t.since::timestamptz AT TIME ZONE 'UTC'),
           'queued', ${options.now}
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS t(repair_id int, site_key text, bad_version text, since text)
    ON CONFLICT (repair_id, site_key) DO UPDATE
       SET reported_state = NULL,
           state = CASE WHEN ingest_repair_tasks.state = 'failed' THEN 'queued'
                        ELSE ingest_repair_tasks.state END,
           reason = CASE WHEN ingest_repair_tasks.state = 'failed' THEN NULL
                         ELSE ingest_repair_tasks.reason END,
           -- Kept otherwise: a task waiting to run has been waiting since it was first stored.
           updated_at = CASE WHEN ingest_repair_tasks.state = 'failed' THEN ${options.now}
                             ELSE ingest_repair_tasks.updated_at END`;
}

/** Unfinished tasks (queued, or cut short by a crash), except those of sites being repaired. */
export async function openRepairs(db: Db, options: { busySites: string[]; limit: number }) {
  return db.$queryRaw<RepairTask[]>`
    SELECT repair_id AS "repairId", site_key AS "siteKey", bad_version AS "badVersion", since,
           updated_at AS "updatedAt"
      FROM ingest_repair_tasks
     WHERE state NOT IN ('done', 'failed') AND site_key <> ALL(${options.busySites}::text[])
     ORDER BY repair_id, site_key
     LIMIT ${options.limit}`;
}

export async function countOpenRepairs(db: Db): Promise<number> {
  return db.ingestRepairTask.count({ where: { state: { notIn: ['done', 'failed'] } } });
}

export async function setRepairState(
  db: Tx,
  options: {
    task: { repairId: number; siteKey: string };
    state: RepairState;
    reason?: string;
    details?: Record<string, unknown>;
  },
) {
  await db.ingestRepairTask.update({
    where: {
      repairId_siteKey: { repairId: options.task.repairId, siteKey: options.task.siteKey },
    },
    data: {
      state: options.state,
      reason: options.reason?.slice(0, 1_000) ?? null,
      ...(options.details ? { details: options.details as object } : {}),
    },
  });
}

/** Progress not yet acknowledged: tasks whose state moved since the last delivery. */
export async function unreportedRepairs(db: Db, limit: number): Promise<RepairProgress[]> {
  const rows = await db.$queryRaw<
    { repairId: number; siteKey: string; state: string; reason: string | null; details: object }[]
  >`
    SELECT repair_id AS "repairId", site_key AS "siteKey", state, reason, details
      FROM ingest_repair_tasks
     WHERE state <> 'queued' AND reported_state IS DISTINCT FROM state
     ORDER BY updated_at, repair_id, site_key
     LIMIT ${limit}`;
  return rows.map((r) => ({
    repairId: r.repairId,
    siteKey: r.siteKey,
    state: r.state as RepairProgress['state'],
    ...(r.reason ? { reason: r.reason } : {}),
    details: r.details as Record<string, unknown>,
  }));
}

/** Records what the control plane acknowledged — unless the task moved on meanwhile. */
export async function markRepairsReported(db: Db, sent: RepairProgress[]) {
  const rows = sent.map((s) => ({ repair_id: s.repairId, site_key: s.siteKey, state: s.state }));
  await db.$executeRaw`
    UPDATE ingest_repair_tasks t SET reported_state = s.state
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS s(repair_id int, site_key text, state text)
     WHERE t.repair_id = s.repair_id AND t.site_key = s.site_key AND t.state = s.state`;
}
