import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ImportReport } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export function getSiteImports(options: {
  siteKey: string;
  signal?: AbortSignal;
}): Promise<{ items: ImportReport[] }> {
  return api.get('/api/v1/sites/{key}/imports', {
    params: { key: options.siteKey },
    query: { limit: 20 },
    signal: options.signal,
  });
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
