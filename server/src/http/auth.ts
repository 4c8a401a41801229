import type { Role } from '../db/generated/enums.ts';
import { tokenFrom } from '../lib/bearer-token.ts';
import { ForbiddenError, UnauthorizedError } from '../lib/errors.ts';

/** Who is calling: resolved from the bearer token. */
export type Actor = {
  tokenId: string;
  name: string;
  owner: string;
  role: Role;
  /** `import` tokens only: the label selector of the sites it may write (null: every site). */
  siteSelector: string | null;
};

/** What a route requires. Staff roles are ranked; `client` and `ingest` are service roles. */
export type Permission =
  'public' | 'viewer' | 'operator' | 'release' | 'admin' | 'client' | 'ingest';

const staffRank: Partial<Record<Role, number>> = { viewer: 1, operator: 2, release: 3, admin: 4 };

export function allows(role: Role, need: Permission): boolean {
  switch (need) {
    case 'public':
      return true;
    case 'client':
      // The ingestion API reads pins with its ingest token, like any SDK.
      return role === 'client' || role === 'ingest';
    case 'ingest':
      return role === 'ingest';
    default:
      return (staffRank[role] ?? 0) >= (staffRank[need] ?? Infinity);
  }
}

export type TokenVerifier = (secret: string) => Promise<Actor | undefined>;

export async function authorize(options: {
  header: string | undefined;
  need: Permission;
  verify: TokenVerifier;
}): Promise<Actor | undefined> {
  if (options.need === 'public') return undefined;
  const secret = tokenFrom(options.header);
  const actor = secret ? await options.verify(secret) : undefined;
  if (!actor) throw new UnauthorizedError();
  if (!allows(actor.role, options.need)) {
    throw new ForbiddenError(
      `token '${actor.name}' has role '${actor.role}'; this action needs ${describe(options.need)}`,
    );
  }
  return actor;
}

function describe(need: Permission): string {
  if (need === 'client') return "a 'client' or 'ingest' token";
  if (need === 'ingest') return "an 'ingest' token";
  return `role '${need}' or higher`;
}
