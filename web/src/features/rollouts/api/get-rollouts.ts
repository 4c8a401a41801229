import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import { queryKeys } from '@/lib/query-keys';
import { toListQuery } from '../rollout-filters';
import type { StateFilter } from '../rollout-filters';
import { isMoving } from '../rollout-rules';

export function getRollouts(options: { state: StateFilter; signal?: AbortSignal }) {
  return body(
    api.GET('/api/v1/rollouts', {
      params: { query: toListQuery(options.state) },
      signal: options.signal,
    }),
  );
}

export const rolloutsQueryOptions = (state: StateFilter) =>
  queryOptions({
    queryKey: queryKeys.rolloutList({ state }),
    queryFn: ({ signal }) => getRollouts({ state, signal }),
    select: (data) => data.items,
    placeholderData: keepPreviousData,
    // While the engine moves any listed rollout, the list follows it.
    refetchInterval: (query) =>
      query.state.data?.items.some((r) => isMoving(r.state)) ? liveRefreshMs : false,
  });

export function useRollouts(state: StateFilter) {
  return useQuery(rolloutsQueryOptions(state));
}
