// The one way the dashboard talks to the control plane: adds the bearer token, turns error
// bodies into ApiError, and ends the session when the server no longer accepts the token.
import type {
  ErrorBody,
  HttpMethod,
  PathParams,
  PathsWith,
  QueryParams,
  RequestBody,
  ResponseBody,
} from './api-types';
import { session } from './session';

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

type Query = Record<string, string | number | boolean | string[] | null | undefined>;

type RequestOptions<P extends PathsWith<M>, M extends HttpMethod> = ([PathParams<P, M>] extends [
  never,
]
  ? { params?: undefined }
  : { params: PathParams<P, M> }) &
  ([RequestBody<P, M>] extends [never] ? { body?: undefined } : { body: RequestBody<P, M> }) & {
    query?: QueryParams<P, M>;
    /** Use this token instead of the session's (signing in checks a token before keeping it). */
    token?: string;
    signal?: AbortSignal;
  };

type Args<P extends PathsWith<M>, M extends HttpMethod> =
  object extends RequestOptions<P, M>
    ? [options?: RequestOptions<P, M>]
    : [options: RequestOptions<P, M>];

export function buildUrl(template: string, params?: unknown, query?: unknown): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = (params as Record<string, unknown> | undefined)?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter '${name}'`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((query ?? {}) as Query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

async function toApiError(response: Response): Promise<ApiError> {
  const fallback = `${response.status} ${response.statusText || 'error'} from the control plane`;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) {
    return new ApiError({
      status: response.status,
      code: body.code,
      message: body.message,
      details: Array.isArray(body.details) ? body.details : [],
    });
  }
  return new ApiError({ status: response.status, code: 'http_error', message: fallback });
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

async function request<P extends PathsWith<M>, M extends HttpMethod>(
  method: M,
  path: P,
  options: RequestOptions<P, M> = {} as RequestOptions<P, M>,
): Promise<ResponseBody<P, M>> {
  const token = options.token ?? session.getToken();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.params, options.query), {
      method: method.toUpperCase(),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      status: 0,
      code: 'network_error',
      message: 'could not reach the control plane; check your connection and try again',
    });
  }

  if (!response.ok) {
    const error = await toApiError(response);
    // A token the server stopped accepting (revoked, or the server's data was reset) ends the
    // session here, once, for every screen. A token being tried at sign-in is not the session's,
    // and a late answer for an earlier session must not end the one that replaced it.
    if (response.status === 401 && options.token === undefined && session.getToken() === token) {
      session.end('rejected');
    }
    throw error;
  }
  if (response.status === 204) return undefined as ResponseBody<P, M>;
  return (await response.json()) as ResponseBody<P, M>;
}

export const api = {
  get: <P extends PathsWith<'get'>>(path: P, ...[options]: Args<P, 'get'>) =>
    request('get', path, options),
  post: <P extends PathsWith<'post'>>(path: P, ...[options]: Args<P, 'post'>) =>
    request('post', path, options),
  put: <P extends PathsWith<'put'>>(path: P, ...[options]: Args<P, 'put'>) =>
    request('put', path, options),
  patch: <P extends PathsWith<'patch'>>(path: P, ...[options]: Args<P, 'patch'>) =>
    request('patch', path, options),
  delete: <P extends PathsWith<'delete'>>(path: P, ...[options]: Args<P, 'delete'>) =>
    request('delete', path, options),
};
