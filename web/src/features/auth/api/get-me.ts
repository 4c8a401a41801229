import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ResponseBody } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export type Me = ResponseBody<'/api/v1/me', 'get'>;

export function getMe(options: { token?: string; signal?: AbortSignal } = {}): Promise<Me> {
  return api.get('/api/v1/me', options);
}

export const meQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => getMe({ signal }),
    staleTime: 5 * 60_000,
  });

export function useMe() {
  return useQuery(meQueryOptions());
}
