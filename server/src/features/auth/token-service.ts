import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { Role } from '../../db/generated/enums.ts';
import type { Actor } from '../../http/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit-store.ts';
import type { AuditActor } from '../audit/audit-store.ts';
import { parseSelector } from '../cohorts/selector.ts';
import { createTokenCache } from './token-cache.ts';
import { localInvalidation } from './token-invalidation.ts';
import type { TokenInvalidation } from './token-invalidation.ts';
import {
  countActiveAdmins,
  findToken,
  findTokenByHash,
  insertToken,
  listTokens,
  markRevoked,
  touchToken,
} from './token-store.ts';

const systemActor: AuditActor = { owner: 'system' };

export type TokenService = ReturnType<typeof createTokenService>;
export type InitialTokens = Partial<Record<'admin' | 'client' | 'ingest' | 'import', string>>;

// Tokens are long random secrets, so a fast hash is enough: there is nothing to brute-force.
const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => `pn_${randomBytes(30).toString('base64url')}`;
const hintOf = (secret: string) => `${secret.slice(0, 7)}…`;

/**
 * SDK polls must never wait on the database, so a verified token stays cached while every
 * revocation is sure to reach this replica (LISTEN/NOTIFY); while that link is down, entries live
 * half a second, which bounds how long a revoked token works here (docs/adr/0013).
 */
const trustedTtlMs = 10 * 60_000;
const fallbackTtlMs = 500;

export function createTokenService(options: {
  db: Db;
  clock: Clock;
  invalidation?: TokenInvalidation;
}) {
  const { db, clock } = options;
  const invalidation = options.invalidation ?? localInvalidation;
  const cache = createTokenCache({ clock });
  const lastUseWritten = new Map<string, number>();

  async function verify(secret: string): Promise<Actor | undefined> {
    const key = hash(secret);
    const hit = cache.get(key);
    if (hit) {
      if (hit.actor) touch(hit.actor.tokenId);
      return hit.actor;
    }
    const generation = cache.generation;
    const token = await findTokenByHash(db, key);
    const actor: Actor | undefined =
      token && !token.revokedAt
        ? {
            tokenId: token.id,
            name: token.name,
            owner: token.owner,
            role: token.role,
            siteSelector: token.siteSelector,
          }
        : undefined;
    const ttl = actor && invalidation.reliable ? trustedTtlMs : fallbackTtlMs;
    cache.set(key, actor, ttl, generation);
    if (actor) touch(actor.tokenId);
    return actor;
  }

  /** Records last use at most once a minute per token, off the request path. */
  function touch(tokenId: string) {
    const now = clock.now().getTime();
    if ((lastUseWritten.get(tokenId) ?? 0) > now - 60_000) return;
    lastUseWritten.set(tokenId, now);
    void touchToken(db, tokenId, new Date(now)).catch(() => {});
  }

  async function insert(token: {
    name: string;
    owner: string;
    role: Role;
    secret: string;
    siteSelector?: string;
    createdBy: AuditActor;
  }) {
    return db.$transaction(async (tx) => {
      const row = await insertToken(tx, {
        name: token.name,
        owner: token.owner,
        role: token.role,
        secretHash: hash(token.secret),
        hint: hintOf(token.secret),
        createdBy: token.createdBy.owner,
        siteSelector: token.siteSelector ?? null,
      });
      await appendAudit(tx, {
        actor: token.createdBy,
        action: 'token.created',
        subjectType: 'token',
        subjectId: row.id,
        after: {
          name: row.name,
          owner: row.owner,
          role: row.role,
          ...(row.siteSelector ? { siteSelector: row.siteSelector } : {}),
        },
      });
      return row;
    });
  }

  return {
    verify,

    /** Starts listening for revocations on other replicas. */
    start: () => invalidation.start(() => cache.invalidate()),
    stop: () => invalidation.stop(),

    async create(options: {
      name: string;
      owner?: string;
      role: Role;
      siteSelector?: string;
      actor: Actor;
    }) {
      if (options.siteSelector !== undefined) checkSelector(options.role, options.siteSelector);
      const secret = newSecret();
      const token = await insert({
        name: options.name,
        owner: options.owner ?? options.name,
        role: options.role,
        secret,
        siteSelector: options.siteSelector,
        createdBy: options.actor,
      });
      return { token, secret };
    },

    list: () => listTokens(db),

    async revoke(options: { id: string; actor: Actor }) {
      await db.$transaction(async (tx) => {
        const token = await findToken(tx, options.id);
        if (!token) throw new NotFoundError(`token '${options.id}' does not exist`);
        if (token.revokedAt) return;
        await markRevoked(tx, token.id, clock.now());
        await appendAudit(tx, {
          actor: options.actor,
          action: 'token.revoked',
          subjectType: 'token',
          subjectId: token.id,
          before: { name: token.name, role: token.role },
        });
      });
      cache.invalidate();
    },

    /**
     * First start: tokens given in the environment are created (as Unleash's INIT_*_API_TOKENS);
     * with no admin token at all, one is generated and returned so it can be printed once.
     */
    async bootstrap(secrets: InitialTokens) {
      for (const [role, secret] of Object.entries(secrets) as [keyof InitialTokens, string][]) {
        if (!secret || (await findTokenByHash(db, hash(secret)))) continue;
        const name = `initial-${role}`;
        await insert({ name, owner: name, role, secret, createdBy: systemActor });
      }
      if ((await countActiveAdmins(db)) > 0) return undefined;
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

/** Only an import job's token can be limited to sites; the selector must parse. */
function checkSelector(role: Role, selector: string) {
  if (role !== 'import') {
    const message = `only 'import' tokens can be limited to sites; this token's role is '${role}'`;
    throw new ValidationError(`body.siteSelector: ${message}`, [
      { path: 'body.siteSelector', message },
    ]);
  }
  parseSelector(selector, 'body.siteSelector');
}
