import type { Db } from '../db/database.ts';
import type { Product, Rejection } from './pipelines/product.ts';

export type ImportRecord = {
  siteKey: string;
  version: string;
  received: number;
  products: Product[];
  rejected: Rejection[];
  durationMs: number;
};

/** A feed is the site's whole catalog: the new products replace the old in one transaction. */
export async function replaceCatalog(db: Db, record: ImportRecord) {
  return db.$transaction(
    async (tx) => {
      await tx.ingestProduct.deleteMany({ where: { siteKey: record.siteKey } });
      for (let i = 0; i < record.products.length; i += 5_000) {
        await tx.ingestProduct.createMany({
          data: record.products.slice(i, i + 5_000).map((p) => ({
            siteKey: record.siteKey,
            sku: p.sku,
            name: p.name,
            gtin: p.gtin,
            price: p.price,
            data: p.data as object,
          })),
        });
      }
      return tx.ingestImport.create({
        data: {
          siteKey: record.siteKey,
          version: record.version,
          received: record.received,
          imported: record.products.length,
          rejected: record.rejected.length,
          rejections: record.rejected.slice(0, 1_000),
          durationMs: record.durationMs,
        },
      });
    },
    { timeout: 120_000 },
  );
}

export async function findCatalog(
  db: Db,
  options: { siteKey: string; limit: number; offset: number },
) {
  const [count, products] = await Promise.all([
    db.ingestProduct.count({ where: { siteKey: options.siteKey } }),
    db.ingestProduct.findMany({
      where: { siteKey: options.siteKey },
      orderBy: { sku: 'asc' },
      take: options.limit,
      skip: options.offset,
    }),
  ]);
  return { count, products };
}

export async function findImport(db: Db, id: string) {
  return db.ingestImport.findUnique({ where: { id } });
}

export async function findUnreported(db: Db, limit: number) {
  return db.ingestImport.findMany({
    where: { reportedAt: null },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
}

export async function markReported(db: Db, id: string) {
  await db.ingestImport.update({ where: { id }, data: { reportedAt: new Date() } });
}
