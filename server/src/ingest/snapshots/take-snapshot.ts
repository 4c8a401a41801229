import type { Tx } from '../../db/transaction.ts';

export type SnapshotPolicy = {
  /** Snapshots kept per site (the newest). */
  perSite: number;
  /** Snapshots older than this are dropped. */
  maxAgeDays: number;
};

/**
 * Stores the site's catalog as it is now — the result of the journal up to `afterSeq`, produced
 * by `version` — then prunes the site's snapshots by count and age, never the newest one. Runs
 * inside the processing transaction, before the first import a different version processes, so
 * the snapshot and the change it guards commit together. The products are copied by the database
 * in one statement; they never travel through this process.
 */
export async function takeSnapshot(
  tx: Tx,
  options: {
    siteKey: string;
    afterSeq: bigint;
    version: string | null;
    takenAt: Date;
    policy: SnapshotPolicy;
  },
) {
  const { siteKey, takenAt } = options;
  await tx.$executeRaw`
    INSERT INTO ingest_snapshots (site_key, after_seq, version, products, count, taken_at)
    SELECT ${siteKey}, ${options.afterSeq}, ${options.version},
           coalesce(jsonb_agg(jsonb_build_object('sku', sku, 'name', name, 'gtin', gtin,
                      'price', price::text, 'data', data) ORDER BY sku), '[]'::jsonb),
           count(*)::int, ${takenAt}
      FROM ingest_products WHERE site_key = ${siteKey}`;
  const cutoff = new Date(takenAt.getTime() - options.policy.maxAgeDays * 86_400_000);
  await tx.$executeRaw`
    DELETE FROM ingest_snapshots WHERE id IN (
      SELECT id FROM (
        SELECT id, taken_at, row_number() OVER (ORDER BY id DESC) AS newest
          FROM ingest_snapshots WHERE site_key = ${siteKey}) ranked
       WHERE newest > 1 AND (newest > ${options.policy.perSite} OR taken_at < ${cutoff}))`;
}
