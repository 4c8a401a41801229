import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import type { ResponseBody, TargetStatus } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export type TargetPage = ResponseBody<'/api/v1/rollouts/{id}/targets', 'get'>;
export type TargetFilters = { status: '' | TargetStatus; stage: number | null; page: number };

export const targetsPageSize = 25;

export function getRolloutTargets(options: {
  id: number;
  filters: TargetFilters;
  signal?: AbortSignal;
}): Promise<TargetPage> {
  const { status, stage, page } = options.filters;
  return api.get('/api/v1/rollouts/{id}/targets', {
    params: { id: String(options.id) },
    query: {
      status: status || undefined,
      stage: stage ?? undefined,
      limit: targetsPageSize,
      offset: (page - 1) * targetsPageSize,
    },
    signal: options.signal,
  });
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
