import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Site } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export function getSite(options: { key: string; signal?: AbortSignal }): Promise<Site> {
  return api.get('/api/v1/sites/{key}', {
    params: { key: options.key },
    signal: options.signal,
  });
}

export const siteQueryOptions = (key: string) =>
  queryOptions({
    queryKey: queryKeys.site(key),
    queryFn: ({ signal }) => getSite({ key, signal }),
  });

export function useSite(key: string) {
  return useQuery(siteQueryOptions(key));
}
