import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import { queryKeys } from '@/lib/query-keys';

export function getRolloutAnalysis(options: { id: number; signal?: AbortSignal }) {
  return body(
    api.GET('/api/v1/rollouts/{id}/analysis', {
      params: { path: { id: String(options.id) } },
      signal: options.signal,
    }),
  );
}

export type RolloutAnalysis = Awaited<ReturnType<typeof getRolloutAnalysis>>;
export type StageAnalysis = RolloutAnalysis['stages'][number];
export type SiteVerdict = StageAnalysis['sites'][number];

export const rolloutAnalysisQueryOptions = (id: number, live: boolean) =>
  queryOptions({
    queryKey: queryKeys.rolloutAnalysis(id),
    queryFn: ({ signal }) => getRolloutAnalysis({ id, signal }),
    refetchInterval: live ? liveRefreshMs : false,
  });

export function useRolloutAnalysis(id: number, live: boolean) {
  return useQuery(rolloutAnalysisQueryOptions(id, live));
}
