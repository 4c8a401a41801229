import type { Tx } from '../../db/transaction.ts';

/**
 * Bumps the fleet revision inside the caller's transaction. The row lock it takes orders
 * concurrent writers, so revisions are handed out in commit order.
 */
export async function bumpRevision(tx: Tx): Promise<bigint> {
  const rows = await tx.$queryRaw<{ revision: bigint }[]>`
    UPDATE fleet SET revision = revision + 1, updated_at = now() WHERE id = 1 RETURNING revision`;
  const row = rows[0];
  if (!row) throw new Error('the fleet row is missing; versions must be synced at start-up');
  return BigInt(row.revision);
}

export async function readRevision(db: Tx): Promise<bigint> {
  const fleet = await db.fleet.findUnique({ where: { id: 1 }, select: { revision: true } });
  return fleet?.revision ?? 0n;
}
