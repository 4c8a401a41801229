import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function getSite(options: { key: string; signal?: AbortSignal }) {
  return body(
    api.GET('/api/v1/sites/{key}', {
      params: { path: { key: options.key } },
      signal: options.signal,
    }),
  );
}

export const siteQueryOptions = (key: string) =>
  queryOptions({
    queryKey: queryKeys.site(key),
    queryFn: ({ signal }) => getSite({ key, signal }),
  });

export function useSite(key: string) {
  return useQuery(siteQueryOptions(key));
}
