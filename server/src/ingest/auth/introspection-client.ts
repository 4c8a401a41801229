import { z } from 'zod';

const Introspection = z.union([
  z.object({ active: z.literal(false) }),
  z.object({
    active: z.literal(true),
    role: z.string(),
    name: z.string(),
    owner: z.string(),
    siteSelector: z.string().nullable(),
    siteAllowed: z.boolean().optional(),
  }),
]);

export type Introspection = z.output<typeof Introspection>;

/** What the ingestion API asks the control plane about a token (POST /api/v1/auth/introspect). */
export type Introspect = (question: { token: string; siteKey?: string }) => Promise<Introspection>;

/** No answer the token check can trust: unreachable, timed out, an error status, a bad body. */
export class IntrospectionFailed extends Error {}

export function introspectionClient(options: {
  controlPlaneUrl: string;
  /** This instance's own `ingest` token. */
  token: string;
  timeoutMs: number;
}): Introspect {
  const url = new URL('/api/v1/auth/introspect', options.controlPlaneUrl);
  return async (question) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify(question),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new IntrospectionFailed(cause ?? (err as Error).message);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok)
      throw new IntrospectionFailed(`HTTP ${response.status} ${text.slice(0, 300)}`);
    try {
      return Introspection.parse(JSON.parse(text));
    } catch {
      throw new IntrospectionFailed(`unexpected answer: ${text.slice(0, 300)}`);
    }
  };
}
