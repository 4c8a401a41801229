import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import type { Rollout } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';
import { isMoving } from '../rollout-rules';

export function getRollout(options: { id: number; signal?: AbortSignal }): Promise<Rollout> {
  return api.get('/api/v1/rollouts/{id}', {
    params: { id: String(options.id) },
    signal: options.signal,
  });
}

export const rolloutQueryOptions = (id: number) =>
  queryOptions({
    queryKey: queryKeys.rollout(id),
    queryFn: ({ signal }) => getRollout({ id, signal }),
    // While the engine applies, bakes or reverts, the page follows it every 2 s.
    refetchInterval: (query) => (isMoving(query.state.data?.state) ? liveRefreshMs : false),
  });

export function useRollout(id: number) {
  return useQuery(rolloutQueryOptions(id));
}
