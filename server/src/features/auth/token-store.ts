import type { Role } from '../../db/generated/enums.ts';
import type { Tx } from '../../db/transaction.ts';

/** Other replicas clear their token caches when this channel speaks (token-invalidation.ts). */
export const revokedChannel = 'pinion_token_revoked';

export type TokenInsert = {
  name: string;
  owner: string;
  role: Role;
  secretHash: string;
  hint: string;
  createdBy: string;
  siteSelector: string | null;
};

export const findTokenByHash = (db: Tx, secretHash: string) =>
  db.apiToken.findUnique({ where: { secretHash } });

export const findToken = (db: Tx, id: string) => db.apiToken.findUnique({ where: { id } });

export const insertToken = (db: Tx, data: TokenInsert) => db.apiToken.create({ data });

export const listTokens = (db: Tx) => db.apiToken.findMany({ orderBy: { createdAt: 'asc' } });

export const countActiveAdmins = (db: Tx) =>
  db.apiToken.count({ where: { role: 'admin', revokedAt: null } });

export const touchToken = (db: Tx, id: string, at: Date) =>
  db.apiToken.update({ where: { id }, data: { lastUsedAt: at } });

/**
 * Marks the token revoked and tells every replica, in the caller's transaction: PostgreSQL
 * delivers the notification at commit, and never for a rolled-back revocation.
 */
export async function markRevoked(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.apiToken.update({ where: { id }, data: { revokedAt: at } });
  await tx.$executeRaw`SELECT pg_notify(${revokedChannel}, ${id})`;
}
