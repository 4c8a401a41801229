import { Prisma } from '../../db/generated/client.ts';
import type { RolloutState, TargetStatus } from '../../db/generated/enums.ts';
import type { Tx } from '../../db/transaction.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import type { StagedSite } from './stage-plan.ts';
import { rolloutRef } from './rollout-state.ts';

/** Reads a rollout and locks its row until the transaction ends: actions on one rollout queue up. */
export async function lockRollout(tx: Tx, id: number) {
  await tx.$queryRaw`SELECT id FROM rollouts WHERE id = ${id} FOR UPDATE`;
  const rollout = await tx.rollout.findUnique({ where: { id } });
  if (!rollout) throw new NotFoundError(`rollout ${rolloutRef(id)} does not exist`);
  return rollout;
}

export type RolloutRow = Awaited<ReturnType<typeof lockRollout>>;

export async function updateRollout(tx: Tx, id: number, data: Prisma.RolloutUpdateInput) {
  return tx.rollout.update({ where: { id }, data });
}

/**
 * Claims the sites for one rollout. Existing claims are reported by name; a claim made by a
 * concurrent plan in the same instant fails on the primary key and is reported the same way.
 */
export async function claimSites(tx: Tx, rolloutId: number, keys: string[]): Promise<void> {
  const taken = await tx.$queryRaw<{ siteKey: string; rolloutId: number }[]>`
    SELECT site_key AS "siteKey", rollout_id AS "rolloutId" FROM site_rollout_locks
     WHERE site_key = ANY(${keys}::text[]) ORDER BY site_key LIMIT 20`;
  if (taken.length > 0) throw alreadyClaimed(taken);
  try {
    await tx.$executeRaw`
      INSERT INTO site_rollout_locks (site_key, rollout_id) SELECT unnest(${keys}::text[]), ${rolloutId}`;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new ConflictError(
      'another plan claimed some of these sites at the same moment; list active rollouts and plan again',
      [],
      'site_in_rollout',
    );
  }
}

function alreadyClaimed(taken: { siteKey: string; rolloutId: number }[]): ConflictError {
  const first = taken[0]!;
  return new ConflictError(
    `site ${first.siteKey} is already in active rollout ${rolloutRef(first.rolloutId)}; finish or revert it first`,
    taken.map((t) => ({ path: 'sites', message: `${t.siteKey} is in ${rolloutRef(t.rolloutId)}` })),
    'site_in_rollout',
  );
}

export function isUniqueViolation(err: unknown): boolean {
  const text = `${(err as Error)?.message ?? ''} ${JSON.stringify((err as { meta?: unknown })?.meta ?? {})} ${String((err as { cause?: unknown })?.cause ?? '')}`;
  return /23505|unique constraint|UniqueConstraintViolation/i.test(text);
}

export async function releaseSites(tx: Tx, rolloutId: number): Promise<void> {
  await tx.$executeRaw`DELETE FROM site_rollout_locks WHERE rollout_id = ${rolloutId}`;
}

export async function findLock(db: Tx, siteKey: string) {
  return db.siteRolloutLock.findUnique({ where: { siteKey } });
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function insertTargets(
  tx: Tx,
  rolloutId: number,
  staged: StagedSite[],
): Promise<void> {
  // In key order: the primary key (rollout_id, site_key) then grows at its end instead of
  // splitting pages at random, and later reads of the targets come back nearly in key order.
  const ordered = [...staged].sort((a, b) => byKey(a.key, b.key));
  for (let i = 0; i < ordered.length; i += 50_000) {
    const chunk = ordered.slice(i, i + 50_000);
    await tx.$executeRaw`
      INSERT INTO rollout_targets (rollout_id, site_key, from_version, stage)
      SELECT ${rolloutId}, k, v, s
        FROM unnest(${chunk.map((t) => t.key)}::text[], ${chunk.map((t) => t.pinnedVersion)}::text[],
                    ${chunk.map((t) => t.stage)}::int[]) AS x(k, v, s)`;
  }
}

/** Targets of stages up to `stage` that have not been applied yet. */
export async function pendingTargets(tx: Tx, rolloutId: number, stage: number) {
  return tx.$queryRaw<{ siteKey: string; fromVersion: string }[]>`
    SELECT site_key AS "siteKey", from_version AS "fromVersion" FROM rollout_targets
     WHERE rollout_id = ${rolloutId} AND stage <= ${stage} AND status = 'pending'`;
}

export async function appliedTargets(tx: Tx, rolloutId: number) {
  return tx.$queryRaw<{ siteKey: string; fromVersion: string }[]>`
    SELECT site_key AS "siteKey", from_version AS "fromVersion" FROM rollout_targets
     WHERE rollout_id = ${rolloutId} AND status = 'applied'`;
}

/** Targets the rollout pinned, at `at`. */
export async function markApplied(
  tx: Tx,
  rolloutId: number,
  keys: string[],
  at: Date,
): Promise<void> {
  await setStatus(tx, { rolloutId, keys, status: 'applied', column: 'applied_at', at });
}

/** Targets the revert set back, at `at`. */
export async function markReverted(
  tx: Tx,
  rolloutId: number,
  keys: string[],
  at: Date,
): Promise<void> {
  await setStatus(tx, { rolloutId, keys, status: 'reverted', column: 'reverted_at', at });
}

async function setStatus(
  tx: Tx,
  options: {
    rolloutId: number;
    keys: string[];
    status: TargetStatus;
    column: 'applied_at' | 'reverted_at';
    at: Date;
  },
) {
  if (options.keys.length === 0) return;
  // Prisma keeps timestamps as UTC in columns without a zone; write them the same way.
  const at = Prisma.sql`(${options.at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  await tx.$executeRaw`
    UPDATE rollout_targets SET status = ${options.status}::"TargetStatus", ${Prisma.raw(options.column)} = ${at}
     WHERE rollout_id = ${options.rolloutId} AND site_key = ANY(${options.keys}::text[])`;
}

/** Targets skipped because their pin was not the expected one, with the pin found instead. */
export async function markSkipped(
  tx: Tx,
  options: {
    rolloutId: number;
    status: 'skipped_changed' | 'revert_conflict';
    skipped: { siteKey: string; found: string | null }[];
  },
): Promise<void> {
  if (options.skipped.length === 0) return;
  await tx.$executeRaw`
    UPDATE rollout_targets t SET status = ${options.status}::"TargetStatus", found_version = x.f
      FROM unnest(${options.skipped.map((s) => s.siteKey)}::text[], ${options.skipped.map((s) => s.found)}::text[]) AS x(k, f)
     WHERE t.rollout_id = ${options.rolloutId} AND t.site_key = x.k`;
}

export async function progressOf(db: Tx, rolloutId: number): Promise<Record<string, number>> {
  const rows = await db.rolloutTarget.groupBy({
    by: ['status'],
    where: { rolloutId },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

/** Sites of a stage that have not yet completed enough imports on the new version since. */
export async function sitesShortOfImports(
  tx: Tx,
  options: { rolloutId: number; stage: number; version: string; minImports: number },
): Promise<number> {
  if (options.minImports === 0) return 0;
  const rows = await tx.$queryRaw<{ short: bigint }[]>`
    SELECT count(*) AS short FROM rollout_targets t
     WHERE t.rollout_id = ${options.rolloutId} AND t.stage = ${options.stage} AND t.status = 'applied'
       AND (SELECT count(*) FROM import_reports r
             WHERE r.site_key = t.site_key AND r.version = ${options.version} AND r.completed_at >= t.applied_at)
           < ${options.minImports}`;
  return Number(rows[0]?.short ?? 0);
}

export async function findRollouts(db: Tx, filter: { states?: RolloutState[]; limit: number }) {
  return db.rollout.findMany({
    where: filter.states ? { state: { in: filter.states } } : {},
    orderBy: { id: 'desc' },
    take: filter.limit,
  });
}

export async function findTargets(
  db: Tx,
  filter: {
    rolloutId: number;
    status?: TargetStatus;
    stage?: number;
    limit: number;
    offset: number;
  },
) {
  const where = { rolloutId: filter.rolloutId, status: filter.status, stage: filter.stage };
  const [items, total] = await Promise.all([
    db.rolloutTarget.findMany({
      where,
      orderBy: [{ stage: 'asc' }, { siteKey: 'asc' }],
      take: filter.limit,
      skip: filter.offset,
    }),
    db.rolloutTarget.count({ where }),
  ]);
  return { items, total };
}
