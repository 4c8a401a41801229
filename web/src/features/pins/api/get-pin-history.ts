import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { PinEvent } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export function getPinHistory(options: {
  siteKey: string;
  signal?: AbortSignal;
}): Promise<{ items: PinEvent[] }> {
  return api.get('/api/v1/sites/{key}/pin-history', {
    params: { key: options.siteKey },
    query: { limit: 50 },
    signal: options.signal,
  });
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
