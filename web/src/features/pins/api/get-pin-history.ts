import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function getPinHistory(options: { siteKey: string; signal?: AbortSignal }) {
  return body(
    api.GET('/api/v1/sites/{key}/pin-history', {
      params: { path: { key: options.siteKey }, query: { limit: 50 } },
      signal: options.signal,
    }),
  );
}

export const pinHistoryQueryOptions = (siteKey: string) =>
  queryOptions({
    queryKey: queryKeys.pinHistory(siteKey),
    queryFn: ({ signal }) => getPinHistory({ siteKey, signal }),
    select: (data) => data.items,
  });

export function usePinHistory(siteKey: string) {
  return useQuery(pinHistoryQueryOptions(siteKey));
}
