import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { Role } from '../../db/generated/enums.ts';
import type { Actor } from '../../http/auth.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit-store.ts';
import type { AuditActor } from '../audit/audit-store.ts';

const systemActor: AuditActor = { owner: 'system' };

export type TokenService = ReturnType<typeof createTokenService>;

// Tokens are long random secrets, so a fast hash is enough: there is nothing to brute-force.
const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => `pn_${randomBytes(30).toString('base64url')}`;
const hintOf = (secret: string) => `${secret.slice(0, 7)}…`;

/** Verified tokens are cached briefly: SDKs poll every second and should not cost a query each. */
const cacheMs = 5_000;

export function createTokenService({ db }: { db: Db }) {
  const cache = new Map<string, { actor: Actor | undefined; until: number }>();
  const lastUseWritten = new Map<string, number>();

  async function verify(secret: string): Promise<Actor | undefined> {
    const key = hash(secret);
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.actor;
    const token = await db.apiToken.findUnique({ where: { secretHash: key } });
    const actor =
      token && !token.revokedAt
        ? { tokenId: token.id, name: token.name, owner: token.owner, role: token.role }
        : undefined;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { actor, until: Date.now() + cacheMs });
    if (actor) touch(actor.tokenId);
    return actor;
  }

  /** Records last use at most once a minute per token, off the request path. */
  function touch(tokenId: string) {
    const now = Date.now();
    if ((lastUseWritten.get(tokenId) ?? 0) > now - 60_000) return;
    lastUseWritten.set(tokenId, now);
    void db.apiToken
      .update({ where: { id: tokenId }, data: { lastUsedAt: new Date(now) } })
      .catch(() => {});
  }

  async function insert(options: {
    name: string;
    owner: string;
    role: Role;
    secret: string;
    createdBy: AuditActor;
  }) {
    return db.$transaction(async (tx) => {
      const token = await tx.apiToken.create({
        data: {
          name: options.name,
          owner: options.owner,
          role: options.role,
          secretHash: hash(options.secret),
          hint: hintOf(options.secret),
          createdBy: options.createdBy.owner,
        },
      });
      await appendAudit(tx, {
        actor: options.createdBy,
        action: 'token.created',
        subjectType: 'token',
        subjectId: token.id,
        after: { name: token.name, owner: token.owner, role: token.role },
      });
      return token;
    });
  }

  return {
    verify,

    async create(options: { name: string; owner?: string; role: Role; actor: Actor }) {
      const secret = newSecret();
      const token = await insert({
        name: options.name,
        owner: options.owner ?? options.name,
        role: options.role,
        secret,
        createdBy: options.actor,
      });
      return { token, secret };
    },

    list: () => db.apiToken.findMany({ orderBy: { createdAt: 'asc' } }),

    async revoke(options: { id: string; actor: Actor }) {
      await db.$transaction(async (tx) => {
        const token = await tx.apiToken.findUnique({ where: { id: options.id } });
        if (!token) throw new NotFoundError(`token '${options.id}' does not exist`);
        if (token.revokedAt) return;
        await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
        await appendAudit(tx, {
          actor: options.actor,
          action: 'token.revoked',
          subjectType: 'token',
          subjectId: token.id,
          before: { name: token.name, role: token.role },
        });
      });
      cache.clear();
    },

    /**
     * First start: tokens given in the environment are created (as Unleash's INIT_*_API_TOKENS);
     * with no admin token at all, one is generated and returned so it can be printed once.
     */
    async bootstrap(secrets: Partial<Record<'admin' | 'client' | 'ingest', string>>) {
      for (const [role, secret] of Object.entries(secrets) as [
        'admin' | 'client' | 'ingest',
        string | undefined,
      ][]) {
        if (!secret) continue;
        const exists = await db.apiToken.findUnique({ where: { secretHash: hash(secret) } });
        if (!exists)
          await insert({
            name: `initial-${role}`,
            owner: `initial-${role}`,
            role,
            secret,
            createdBy: systemActor,
          });
      }
      const admins = await db.apiToken.count({ where: { role: 'admin', revokedAt: null } });
      if (admins > 0) return undefined;
      const secret = newSecret();
      await insert({
        name: 'generated-admin',
        owner: 'admin',
        role: 'admin',
        secret,
        createdBy: systemActor,
      });
      return secret;
    },
  };
}
