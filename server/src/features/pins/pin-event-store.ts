import type { Tx } from '../../db/transaction.ts';
import type { AuditActor } from '../audit/audit-store.ts';

export type InitialPin = { siteKey: string; version: string };

/** The first pin of new sites (from nothing to the version they were created with). */
export async function insertInitialPinEvents(
  tx: Tx,
  options: { pins: InitialPin[]; actor: AuditActor; reason: string; revision: bigint },
): Promise<void> {
  const keys = options.pins.map((p) => p.siteKey);
  const versions = options.pins.map((p) => p.version);
  await tx.$executeRaw`
    INSERT INTO pin_events (site_key, from_version, to_version, actor, reason, revision)
    SELECT k, NULL, v, ${options.actor.owner}, ${options.reason}, ${options.revision}
      FROM unnest(${keys}::text[], ${versions}::text[]) AS x(k, v)`;
}

export async function findPinHistory(db: Tx, options: { siteKey: string; limit: number }) {
  return db.pinEvent.findMany({
    where: { siteKey: options.siteKey },
    orderBy: { id: 'desc' },
    take: options.limit,
  });
}
