import type { Tx } from '../../db/transaction.ts';

export const repairStates = [
  'queued',
  'restoring',
  'replaying',
  'exporting',
  'done',
  'failed',
] as const;
export type RepairState = (typeof repairStates)[number];
const terminal: RepairState[] = ['done', 'failed'];

/** A progress update moves a site forward only: late or repeated updates change nothing. */
export function isForward(from: RepairState, to: RepairState): boolean {
  if (terminal.includes(from)) return false;
  if (to === 'failed') return true;
  return repairStates.indexOf(to) > repairStates.indexOf(from);
}

export type Task = {
  repairId: number;
  siteKey: string;
  badVersion: string;
  since: Date;
  leaseUntil: Date;
};

/**
 * Hands out unfinished site repairs that no one holds (or whose holder's lease ran out by `now`,
 * the control plane's clock), and leases them to `instanceId`. Two ingestion instances claiming
 * at once never get the same site.
 */
export async function claimTasks(
  tx: Tx,
  options: { instanceId: string; max: number; leaseSeconds: number; now: Date },
): Promise<Task[]> {
  const leaseUntil = new Date(options.now.getTime() + options.leaseSeconds * 1000);
  return tx.$queryRaw<Task[]>`
    UPDATE repair_sites rs
       SET claimed_by = ${options.instanceId},
           lease_until = ${leaseUntil},
           updated_at = ${options.now}
      FROM (SELECT repair_id, site_key FROM repair_sites
             WHERE state NOT IN ('done', 'failed')
               AND (lease_until IS NULL OR lease_until < ${options.now})
             ORDER BY repair_id, site_key
             LIMIT ${options.max}
             FOR UPDATE SKIP LOCKED) due
     WHERE rs.repair_id = due.repair_id AND rs.site_key = due.site_key
    RETURNING rs.repair_id AS "repairId", rs.site_key AS "siteKey", rs.bad_version AS "badVersion",
              rs.since, rs.lease_until AS "leaseUntil"`;
}

export async function countByState(db: Tx, repairId: number): Promise<Record<string, number>> {
  const rows = await db.repairSite.groupBy({
    by: ['state'],
    where: { repairId },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.state, r._count._all]));
}
