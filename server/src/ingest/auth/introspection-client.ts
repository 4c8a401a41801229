import { z } from 'zod';
import { settle } from '../control-plane/control-plane-api.ts';
import type { ControlPlaneApi, PostAnswer } from '../control-plane/control-plane-api.ts';

type Answer = PostAnswer<'/api/v1/auth/introspect'>;
/** A live token's answer with every field the checks rely on, as the control plane names them. */
type ActiveAnswer = Required<Omit<Answer, 'active' | 'siteAllowed'>> &
  Pick<Answer, 'siteAllowed'> & { active: true };

/**
 * A live token as the control plane confirmed it. Checked at run time as well: an answer without
 * these fields is no answer (IntrospectionFailed), whatever the document says.
 */
export const ActiveToken = z.object({
  active: z.literal(true),
  role: z.custom<NonNullable<Answer['role']>>((v) => typeof v === 'string', 'a role'),
  name: z.string(),
  owner: z.string(),
  siteSelector: z.string().nullable(),
  siteAllowed: z.boolean().optional(),
}) satisfies z.ZodType<ActiveAnswer>;

const Introspection = z.union([z.object({ active: z.literal(false) }), ActiveToken]);

export type Introspection = z.output<typeof Introspection>;

/** What the ingestion API asks the control plane about a token (POST /api/v1/auth/introspect). */
export type Introspect = (question: { token: string; siteKey?: string }) => Promise<Introspection>;

/** No answer the token check can trust: unreachable, timed out, an error status, a bad body. */
export class IntrospectionFailed extends Error {}

export function introspectionClient(options: {
  api: ControlPlaneApi;
  timeoutMs: number;
}): Introspect {
  return async (question) => {
    const answer = await settle(
      options.api.POST('/api/v1/auth/introspect', {
        body: question,
        signal: AbortSignal.timeout(options.timeoutMs),
      }),
    );
    if (!answer.ok) throw new IntrospectionFailed(answer.error);
    const parsed = Introspection.safeParse(answer.data);
    if (!parsed.success)
      throw new IntrospectionFailed(
        `unexpected answer: ${JSON.stringify(answer.data).slice(0, 300)}`,
      );
    return parsed.data;
  };
}
