import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import type { ResponseBody } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export type RolloutAnalysis = ResponseBody<'/api/v1/rollouts/{id}/analysis', 'get'>;
export type StageAnalysis = RolloutAnalysis['stages'][number];
export type SiteVerdict = StageAnalysis['sites'][number];

export function getRolloutAnalysis(options: {
  id: number;
  signal?: AbortSignal;
}): Promise<RolloutAnalysis> {
  return api.get('/api/v1/rollouts/{id}/analysis', {
    params: { id: String(options.id) },
    signal: options.signal,
  });
}

export const rolloutAnalysisQueryOptions = (id: number, live: boolean) =>
  queryOptions({
    queryKey: queryKeys.rolloutAnalysis(id),
    queryFn: ({ signal }) => getRolloutAnalysis({ id, signal }),
    refetchInterval: live ? liveRefreshMs : false,
  });

export function useRolloutAnalysis(id: number, live: boolean) {
  return useQuery(rolloutAnalysisQueryOptions(id, live));
}
