import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import { queryKeys } from '@/lib/query-keys';

export function getRepair(options: { id: number; signal?: AbortSignal }) {
  return body(
    api.GET('/api/v1/repairs/{id}', {
      params: { path: { id: options.id } },
      signal: options.signal,
    }),
  );
}

export const repairQueryOptions = (id: number) =>
  queryOptions({
    queryKey: queryKeys.repair(id),
    queryFn: ({ signal }) => getRepair({ id, signal }),
    // Followed live until every site is done or failed.
    refetchInterval: (query) => (query.state.data?.state === 'running' ? liveRefreshMs : false),
  });

export function useRepair(id: number | null) {
  return useQuery({ ...repairQueryOptions(id ?? 0), enabled: id !== null });
}
