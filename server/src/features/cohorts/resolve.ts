// Resolves "which sites" — a selector, explicit keys, or both (their union) — to an exact,
// sorted set, and fingerprints it so a person can confirm they mean that very set.
import { createHash } from 'node:crypto';
import { Prisma } from '../../db/generated/client.ts';
import type { Tx } from '../../db/transaction.ts';
import { ValidationError } from '../../lib/errors.ts';
import { parseSelector } from './selector.ts';
import { selectorCondition } from './selector-sql.ts';

export type SiteSet = { selector?: string | null; siteKeys?: string[] };
export type ResolvedSite = { key: string; pinnedVersion: string; labels: Record<string, string> };

/** First 16 hex digits of SHA-256 over the sorted keys, one per line. */
export function fingerprintOf(sortedKeys: string[]): string {
  return createHash('sha256').update(sortedKeys.join('\n')).digest('hex').slice(0, 16);
}

/** Up to `size` keys spread evenly over the set, so a sample shows its range, not its start. */
export function sampleOf(sortedKeys: string[], size = 20): string[] {
  if (sortedKeys.length <= size) return sortedKeys;
  return Array.from(
    { length: size },
    (_, i) => sortedKeys[Math.floor((i * sortedKeys.length) / size)]!,
  );
}

async function condition(db: Tx, set: SiteSet, prefix: string): Promise<Prisma.Sql> {
  const selector = set.selector?.trim()
    ? parseSelector(set.selector, `${prefix}selector`)
    : undefined;
  const keys = [...new Set(set.siteKeys ?? [])];
  if (!selector && keys.length === 0) {
    throw new ValidationError(`${prefix}selector: give a selector, siteKeys, or both`, [
      { path: `${prefix}selector`, message: 'give a selector, siteKeys, or both' },
    ]);
  }
  if (keys.length > 0) {
    const found = await db.$queryRaw<
      { key: string }[]
    >`SELECT key FROM sites WHERE key = ANY(${keys}::text[])`;
    const known = new Set(found.map((r) => r.key));
    const missing = keys.filter((k) => !known.has(k));
    if (missing.length > 0) {
      const shown =
        missing.slice(0, 20).join(', ') +
        (missing.length > 20 ? `, … (${missing.length} in all)` : '');
      throw new ValidationError(`${prefix}siteKeys: unknown site(s) ${shown}`, [
        { path: `${prefix}siteKeys`, message: `unknown site(s) ${shown}` },
      ]);
    }
  }
  const parts = [
    ...(selector ? [Prisma.sql`(${selectorCondition(selector)})`] : []),
    ...(keys.length > 0 ? [Prisma.sql`key = ANY(${keys}::text[])`] : []),
  ];
  return Prisma.join(parts, ' OR ');
}

/** Sorted keys (byte order, the same on every database and in JavaScript for ASCII keys). */
export async function resolveKeys(db: Tx, set: SiteSet, prefix = ''): Promise<string[]> {
  const where = await condition(db, set, prefix);
  const rows = await db.$queryRaw<{ key: string }[]>`
    SELECT key FROM sites WHERE ${where} ORDER BY key COLLATE "C"`;
  return rows.map((r) => r.key);
}

export async function resolveSites(db: Tx, set: SiteSet, prefix = ''): Promise<ResolvedSite[]> {
  const where = await condition(db, set, prefix);
  return db.$queryRaw<ResolvedSite[]>`
    SELECT key, pinned_version AS "pinnedVersion", labels FROM sites WHERE ${where} ORDER BY key COLLATE "C"`;
}
