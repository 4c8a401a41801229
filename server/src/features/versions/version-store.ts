import type { VersionStatus } from '../../db/generated/enums.ts';
import type { Tx } from '../../db/transaction.ts';

export async function findVersion(db: Tx, name: string) {
  return db.version.findUnique({ where: { name } });
}

export async function findVersions(db: Tx) {
  const [versions, fleet, counts] = await Promise.all([
    db.version.findMany(),
    db.fleet.findUnique({ where: { id: 1 } }),
    db.site.groupBy({ by: ['pinnedVersion'], _count: { _all: true } }),
  ]);
  const sites = new Map(counts.map((c) => [c.pinnedVersion, c._count._all]));
  return versions
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
    .map((v) => ({
      ...v,
      isDefault: v.name === fleet?.defaultVersion,
      siteCount: sites.get(v.name) ?? 0,
    }));
}

export async function insertMissingVersions(db: Tx, options: { names: string[]; source: string }) {
  await db.version.createMany({
    data: options.names.map((name) => ({ name, source: options.source })),
    skipDuplicates: true,
  });
}

/** Creates the fleet row on first start; never overrides a default chosen later by an admin. */
export async function ensureFleet(db: Tx, defaultVersion: string) {
  await db.fleet.upsert({ where: { id: 1 }, create: { id: 1, defaultVersion }, update: {} });
}

export async function findDefaultVersion(db: Tx): Promise<string | null> {
  const fleet = await db.fleet.findUnique({ where: { id: 1 }, select: { defaultVersion: true } });
  return fleet?.defaultVersion ?? null;
}

export async function updateVersionStatus(tx: Tx, name: string, status: VersionStatus) {
  await tx.version.update({ where: { name }, data: { status } });
}

export async function setDefaultVersion(tx: Tx, name: string) {
  await tx.fleet.update({ where: { id: 1 }, data: { defaultVersion: name } });
}
