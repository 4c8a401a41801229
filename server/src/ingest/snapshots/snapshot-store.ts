import type { Db } from '../../db/database.ts';
import type { Product } from '../pipelines/product.ts';

export async function listSnapshots(
  db: Db,
  options: { siteKey: string; limit: number; offset: number },
) {
  const rows = await db.ingestSnapshot.findMany({
    where: { siteKey: options.siteKey },
    orderBy: { id: 'desc' },
    take: options.limit,
    skip: options.offset,
    select: { id: true, afterSeq: true, version: true, count: true, takenAt: true },
  });
  return rows.map((row) => ({
    id: Number(row.id),
    afterSeq: Number(row.afterSeq),
    version: row.version,
    count: row.count,
    takenAt: row.takenAt,
  }));
}

/** The newest snapshot of a site taken before journal position `seq` (without its products). */
export async function latestSnapshotBefore(db: Db, options: { siteKey: string; seq: bigint }) {
  return db.ingestSnapshot.findFirst({
    where: { siteKey: options.siteKey, afterSeq: { lt: options.seq } },
    orderBy: [{ afterSeq: 'desc' }, { id: 'desc' }],
    select: { id: true, afterSeq: true, version: true, count: true },
  });
}

export async function snapshotProducts(db: Db, id: bigint): Promise<Product[]> {
  const row = await db.ingestSnapshot.findUnique({ where: { id }, select: { products: true } });
  return (row?.products ?? []) as Product[];
}
