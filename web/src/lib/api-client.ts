// The one way the dashboard talks to the control plane: an openapi-fetch client typed by the
// schema generated from the server's OpenAPI document, so a changed route, body or response fails
// the typecheck. This file adds the bearer token, turns error answers into ApiError, and ends the
// session when the server no longer accepts the token.
import createClient from 'openapi-fetch';
import type { Middleware } from 'openapi-fetch';
import type { components, paths } from './api/schema';
import { session } from './session';

export type ErrorBody = components['schemas']['Error'];
export type ErrorDetail = ErrorBody['details'][number];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(options: { status: number; code: string; message: string; details?: ErrorDetail[] }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.details = options.details ?? [];
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  if (isErrorBody(body)) {
    return new ApiError({
      status: response.status,
      code: body.code,
      message: body.message,
      details: Array.isArray(body.details) ? body.details : [],
    });
  }
  const fallback = `${response.status} ${response.statusText || 'error'} from the control plane`;
  return new ApiError({ status: response.status, code: 'http_error', message: fallback });
}

const bearer = (token: string) => `Bearer ${token}`;

const sessionAndErrors: Middleware = {
  onRequest({ request }) {
    // A request may bring its own token (sign-in checks one before keeping it).
    const token = session.getToken();
    if (token && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', bearer(token));
    }
    request.headers.set('Accept', 'application/json');
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    // A 401 for the token the session holds now (revoked, or the server's data was reset) ends
    // the session here, once, for every screen. A token tried at sign-in, or a late answer for an
    // earlier session, is not the session's token and leaves it alone.
    const token = session.getToken();
    if (
      response.status === 401 &&
      token &&
      request.headers.get('Authorization') === bearer(token)
    ) {
      session.end('rejected');
    }
    throw await toApiError(response);
  },
  onError({ error }) {
    // A query that was cancelled (its page went away) stays cancelled, not a network error.
    if ((error as { name?: unknown } | null)?.name === 'AbortError') return undefined;
    return new ApiError({
      status: 0,
      code: 'network_error',
      message: 'could not reach the control plane; check your connection and try again',
    });
  },
};

/**
 * The typed client: `api.GET('/api/v1/sites/{key}', { params: { path: { key } } })`. Wrap a call
 * in `body()` to get the answer's data; every refusal arrives as a thrown ApiError instead.
 */
export const api = createClient<paths>({
  // The page's own origin: the server serves the dashboard, and Vite proxies /api in development.
  baseUrl: globalThis.location.origin,
  // Looked up on every call rather than once, so tests can put a fake server in its place.
  fetch: (request) => globalThis.fetch(request),
});
api.use(sessionAndErrors);

/** The data of a successful answer (undefined for 204); refusals never get here, they throw. */
export async function body<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/** The Authorization header for a token that is not (yet) the session's. */
export function withToken(token: string | undefined): { headers?: { Authorization: string } } {
  return token ? { headers: { Authorization: bearer(token) } } : {};
}
