import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import type { TargetStatus } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export type TargetFilters = { status: '' | TargetStatus; stage: number | null; page: number };

export const targetsPageSize = 25;

export function getRolloutTargets(options: {
  id: number;
  filters: TargetFilters;
  signal?: AbortSignal;
}) {
  const { status, stage, page } = options.filters;
  return body(
    api.GET('/api/v1/rollouts/{id}/targets', {
      params: {
        path: { id: String(options.id) },
        query: {
          status: status || undefined,
          stage: stage ?? undefined,
          limit: targetsPageSize,
          offset: (page - 1) * targetsPageSize,
        },
      },
      signal: options.signal,
    }),
  );
}

export const rolloutTargetsQueryOptions = (id: number, filters: TargetFilters, live: boolean) =>
  queryOptions({
    queryKey: queryKeys.rolloutTargets(id, filters),
    queryFn: ({ signal }) => getRolloutTargets({ id, filters, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: live ? liveRefreshMs : false,
  });

export function useRolloutTargets(id: number, filters: TargetFilters, live: boolean) {
  return useQuery(rolloutTargetsQueryOptions(id, filters, live));
}
