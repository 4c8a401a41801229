import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function getCohorts(options: { signal?: AbortSignal } = {}) {
  return body(api.GET('/api/v1/cohorts', { signal: options.signal }));
}

export const cohortsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.cohorts,
    queryFn: ({ signal }) => getCohorts({ signal }),
    select: (data) => data.items,
  });

export function useCohorts() {
  return useQuery(cohortsQueryOptions());
}
