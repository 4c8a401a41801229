import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import { queryKeys } from '@/lib/query-keys';
import { isMoving } from '../rollout-rules';

export function getRollout(options: { id: number; signal?: AbortSignal }) {
  return body(
    api.GET('/api/v1/rollouts/{id}', {
      params: { path: { id: String(options.id) } },
      signal: options.signal,
    }),
  );
}

export const rolloutQueryOptions = (id: number) =>
  queryOptions({
    queryKey: queryKeys.rollout(id),
    queryFn: ({ signal }) => getRollout({ id, signal }),
    // While the engine applies, bakes or reverts, the page follows it live.
    refetchInterval: (query) => (isMoving(query.state.data?.state) ? liveRefreshMs : false),
  });

export function useRollout(id: number) {
  return useQuery(rolloutQueryOptions(id));
}
