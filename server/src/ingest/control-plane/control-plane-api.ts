import createClient from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import type { paths } from './schema.d.ts';

/**
 * The ingestion API's one client of the control plane (docs/adr/0018). Its types are generated
 * from the control plane's OpenAPI document (`npm run generate -w server`, run before every
 * typecheck and build), so a control-plane route whose request or answer changes fails the
 * typecheck where the ingestion API calls it. Only the document crosses the boundary, never the
 * control plane's code.
 */
export type ControlPlaneApi = Client<paths>;

export function controlPlaneApi(options: {
  url: string;
  /** This instance's own `ingest` token. */
  token: string;
}): ControlPlaneApi {
  return createClient<paths>({
    // Every path is absolute (/api/v1/…): only the origin of the URL counts.
    baseUrl: new URL(options.url).origin,
    headers: { authorization: `Bearer ${options.token}` },
  });
}

/** The JSON a POST route takes, and the JSON it answers with on success. */
type Post<P extends keyof paths> = paths[P] extends { post: infer O } ? O : never;
export type PostBody<P extends keyof paths> =
  Post<P> extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
export type PostAnswer<P extends keyof paths> =
  Post<P> extends { responses: { 200: { content: { 'application/json': infer A } } } } ? A : never;

export type Settled<T> =
  | { ok: true; data: T }
  /**
   * No usable answer. `status` is the error status the control plane answered with, undefined
   * when it did not answer (unreachable, timed out, a body that could not be read); `error`
   * says which, for logs.
   */
  | { ok: false; status: number | undefined; error: string };

/** Waits for a call and says how it went; never throws. */
export async function settle<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Settled<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok) return { ok: true, data: data as T };
    const body = typeof error === 'string' ? error : JSON.stringify(error ?? '');
    return {
      ok: false,
      status: response.status,
      error: `HTTP ${response.status} ${body.slice(0, 300)}`,
    };
  } catch (err) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, …).
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, status: undefined, error: cause ?? (err as Error).message };
  }
}
