import { Prisma } from '../../db/generated/client.ts';
import type { Tx } from '../../db/transaction.ts';
import type { SiteListQuery } from './site-schemas.ts';

export type SiteInsert = {
  key: string;
  name: string;
  labels: Record<string, string>;
  pinnedVersion: string;
};

export async function findSite(db: Tx, key: string) {
  return db.site.findUnique({ where: { key } });
}

export async function findExistingKeys(db: Tx, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunks(keys, bulkChunk)) {
    const rows = await db.site.findMany({ where: { key: { in: chunk } }, select: { key: true } });
    for (const row of rows) found.add(row.key);
  }
  return found;
}

/**
 * Rows per statement in bulk writes. Preparing a statement's parameters is synchronous work on the
 * event loop, so large statements would stall SDK polls (ADR 15).
 */
export const bulkChunk = 2_000;

export async function insertSites(tx: Tx, sites: SiteInsert[]): Promise<void> {
  // The rows as one JSON parameter: Prisma's createMany compiles a statement per 5,000 rows and
  // spends seconds doing it for 100,000 sites. Array parameters (unnest) are escaped element by
  // element in JavaScript; JSON.stringify is one native call, and the database does the parsing.
  for (const chunk of chunks(sites, bulkChunk)) {
    await tx.$executeRaw`
      INSERT INTO sites (key, name, labels, pinned_version, updated_at)
      SELECT x.key, x.name, x.labels, x."pinnedVersion", now()
        FROM json_to_recordset(${JSON.stringify(chunk)}::json)
             AS x(key text, name text, labels jsonb, "pinnedVersion" text)`;
  }
}

/** Site list for the dashboard and API: filters, stable order by key, offset paging. */
export async function findSites(db: Tx, query: SiteListQuery) {
  const where = whereClause(query);
  const [items, counted] = await Promise.all([
    db.$queryRaw<
      {
        key: string;
        name: string;
        labels: unknown;
        pinnedVersion: string;
        paused: boolean;
        createdAt: Date;
        updatedAt: Date;
      }[]
    >`SELECT key, name, labels, pinned_version AS "pinnedVersion", paused,
             created_at AS "createdAt", updated_at AS "updatedAt"
        FROM sites ${where} ORDER BY key LIMIT ${query.limit} OFFSET ${query.offset}`,
    db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM sites ${where}`,
  ]);
  return { items, total: Number(counted[0]?.total ?? 0) };
}

function whereClause(query: SiteListQuery): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (query.label.length > 0) {
    const wanted = Object.fromEntries(
      query.label.map((pair) => pair.split('=') as [string, string]),
    );
    // jsonb containment uses the GIN index on labels.
    conditions.push(Prisma.sql`labels @> ${JSON.stringify(wanted)}::jsonb`);
  }
  if (query.version) conditions.push(Prisma.sql`pinned_version = ${query.version}`);
  if (query.paused !== undefined) conditions.push(Prisma.sql`paused = ${query.paused}`);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(Prisma.sql`(key ILIKE ${like} OR name ILIKE ${like})`);
  }
  return conditions.length === 0
    ? Prisma.empty
    : Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`;
}

export function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
