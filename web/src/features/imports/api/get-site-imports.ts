import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function getSiteImports(options: { siteKey: string; signal?: AbortSignal }) {
  return body(
    api.GET('/api/v1/sites/{key}/imports', {
      params: { path: { key: options.siteKey }, query: { limit: 20 } },
      signal: options.signal,
    }),
  );
}

export const siteImportsQueryOptions = (siteKey: string) =>
  queryOptions({
    queryKey: queryKeys.siteImports(siteKey),
    queryFn: ({ signal }) => getSiteImports({ siteKey, signal }),
    select: (data) => data.items,
  });

export function useSiteImports(siteKey: string) {
  return useQuery(siteImportsQueryOptions(siteKey));
}
