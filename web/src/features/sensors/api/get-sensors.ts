import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import type { ResponseBody } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export type SensorHealth = ResponseBody<'/api/v1/sensors', 'get'>;

export function getSensors(options: { signal?: AbortSignal } = {}): Promise<SensorHealth> {
  return api.get('/api/v1/sensors', { signal: options.signal });
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
