import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Cohort } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export function getCohorts(options: { signal?: AbortSignal } = {}): Promise<{ items: Cohort[] }> {
  return api.get('/api/v1/cohorts', options);
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
