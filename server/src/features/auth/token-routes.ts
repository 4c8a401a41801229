import { z } from 'zod';
import { route } from '../../http/route.ts';
import type { TokenService } from './token-service.ts';

const roles = ['viewer', 'operator', 'release', 'admin', 'client', 'ingest'] as const;

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
  })
  .meta({ id: 'ApiToken' });

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
});

export function tokenRoutes({ tokens }: { tokens: TokenService }) {
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
  ];
}
