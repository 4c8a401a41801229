import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import { queryKeys } from '@/lib/query-keys';

export function getSensors(options: { signal?: AbortSignal } = {}) {
  return body(api.GET('/api/v1/sensors', { signal: options.signal }));
}

export const sensorsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.sensors,
    queryFn: ({ signal }) => getSensors({ signal }),
    // Heartbeats arrive every few seconds and silence is judged on the server's clock: follow it.
    refetchInterval: liveRefreshMs,
  });

export function useSensors() {
  return useQuery(sensorsQueryOptions());
}
