import type { Db } from '../../db/database.ts';
import type { Role } from '../../db/generated/enums.ts';
import { matches, parseSelector } from '../cohorts/selector.ts';
import { findSite } from '../sites/site-store.ts';
import type { TokenService } from './token-service.ts';

export type Introspection =
  | { active: false }
  | {
      active: true;
      role: Role;
      name: string;
      owner: string;
      siteSelector: string | null;
      /** Only when a site was asked about: whether the token's selector admits it. */
      siteAllowed?: boolean;
    };

/**
 * What the ingestion API needs to know about a token its caller presented: whether it is live,
 * its role, and (given a site) whether its site selector admits that site. Never the secret or
 * its hash (docs/adr/0013).
 */
export async function introspectToken(options: {
  db: Db;
  tokens: TokenService;
  token: string;
  siteKey?: string;
}): Promise<Introspection> {
  const actor = await options.tokens.verify(options.token);
  if (!actor) return { active: false };
  const { role, name, owner, siteSelector } = actor;
  const result = { active: true as const, role, name, owner, siteSelector };
  if (options.siteKey === undefined) return result;
  return { ...result, siteAllowed: await admits(options.db, siteSelector, options.siteKey) };
}

/** A token without a selector admits every site; with one, only existing sites it matches. */
async function admits(db: Db, selector: string | null, siteKey: string): Promise<boolean> {
  if (selector === null) return true;
  const site = await findSite(db, siteKey);
  if (!site) return false;
  try {
    return matches(parseSelector(selector), site.labels as Record<string, string>);
  } catch {
    // Checked when the token was made; a selector that no longer parses admits nothing.
    return false;
  }
}
