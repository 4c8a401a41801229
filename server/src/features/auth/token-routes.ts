import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { route } from '../../http/route.ts';
import { SiteKey } from '../sites/site-schemas.ts';
import { introspectToken } from './introspect-token.ts';
import type { TokenService } from './token-service.ts';

const roles = ['viewer', 'operator', 'release', 'admin', 'client', 'ingest', 'import'] as const;
const selectorHelp =
  "'import' tokens only: a label selector (as for cohorts) limiting the sites the token may post feeds for; none = every site";

const TokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    owner: z.string(),
    role: z.enum(roles),
    hint: z.string(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    siteSelector: z.string().nullable().describe(selectorHelp),
  })
  .meta({ id: 'ApiToken' });

const Introspection = z
  .object({
    active: z
      .boolean()
      .describe('false for an unknown or revoked token (and nothing else is said)'),
    role: z.enum(roles).optional(),
    name: z.string().optional(),
    owner: z.string().optional(),
    siteSelector: z.string().nullable().optional(),
    siteAllowed: z
      .boolean()
      .optional()
      .describe("only when siteKey was given: whether the token's site selector admits that site"),
  })
  .meta({ id: 'TokenIntrospection' });

type TokenRow = Omit<z.input<typeof TokenSchema>, 'createdAt' | 'lastUsedAt' | 'revokedAt'> & {
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const toBody = (t: TokenRow): z.input<typeof TokenSchema> => ({
  id: t.id,
  name: t.name,
  owner: t.owner,
  role: t.role,
  hint: t.hint,
  createdBy: t.createdBy,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
  siteSelector: t.siteSelector,
});

export function tokenRoutes({ tokens, db }: { tokens: TokenService; db: Db }) {
  return [
    route({
      method: 'get',
      path: '/api/v1/me',
      tag: 'auth',
      summary: 'Who this token belongs to and what it may do',
      permission: 'viewer',
      response: z.object({ name: z.string(), owner: z.string(), role: z.enum(roles) }),
      handler: async ({ actor }) => ({ name: actor.name, owner: actor.owner, role: actor.role }),
    }),
    route({
      method: 'get',
      path: '/api/v1/tokens',
      tag: 'auth',
      summary: 'List API tokens (never their secrets)',
      permission: 'admin',
      response: z.object({ items: z.array(TokenSchema) }),
      handler: async () => ({ items: (await tokens.list()).map(toBody) }),
    }),
    route({
      method: 'post',
      path: '/api/v1/tokens',
      tag: 'auth',
      summary: 'Create a token; its secret is shown only in this response',
      permission: 'admin',
      body: z.strictObject({
        name: z.string().trim().min(1).max(100),
        owner: z
          .string()
          .trim()
          .min(1)
          .max(100)
          .optional()
          .describe('the person or service; defaults to name'),
        role: z.enum(roles),
        siteSelector: z.string().trim().min(1).max(1_000).optional().describe(selectorHelp),
      }),
      status: 201,
      response: z.object({ token: TokenSchema, secret: z.string() }),
      async handler({ body, actor }) {
        const { token, secret } = await tokens.create({ ...body, actor });
        return { token: toBody(token), secret };
      },
    }),
    route({
      method: 'delete',
      path: '/api/v1/tokens/:id',
      tag: 'auth',
      summary: 'Revoke a token',
      permission: 'admin',
      params: z.object({ id: z.uuid() }),
      errors: [404],
      handler: ({ params, actor }) => tokens.revoke({ id: params.id, actor }),
    }),
    route({
      method: 'post',
      path: '/api/v1/auth/introspect',
      tag: 'auth',
      summary:
        "Check a token presented to the ingestion API (RFC 7662's idea, JSON, 'ingest' only)",
      description:
        'The ingestion API asks here, and caches the answer briefly, whether the token its caller sent is live, what role it has and, given a site, whether its site selector admits that site. The token travels in the body, never in a URL. Never returns the secret or its hash. See docs/adr/0013.',
      permission: 'ingest',
      body: z.strictObject({
        token: z.string().min(1).max(1_000),
        siteKey: SiteKey.optional().describe('the site the caller wants to write'),
      }),
      response: Introspection,
      handler: ({ body }) => introspectToken({ db, tokens, ...body }),
    }),
  ];
}
