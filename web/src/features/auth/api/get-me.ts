import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body, withToken } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** Who the token belongs to and its role; `token` checks one that is not the session's yet. */
export function getMe(options: { token?: string; signal?: AbortSignal } = {}) {
  return body(api.GET('/api/v1/me', { ...withToken(options.token), signal: options.signal }));
}

export type Me = Awaited<ReturnType<typeof getMe>>;

export const meQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => getMe({ signal }),
    staleTime: 5 * 60_000,
  });

export function useMe() {
  return useQuery(meQueryOptions());
}
