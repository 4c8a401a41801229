import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** A saved cohort with the sites it resolves to now (count, sample, fingerprint). */
export function getCohort(options: { id: number; signal?: AbortSignal }) {
  return body(
    api.GET('/api/v1/cohorts/{id}', {
      params: { path: { id: options.id } },
      signal: options.signal,
    }),
  );
}

export const cohortQueryOptions = (id: number) =>
  queryOptions({
    queryKey: queryKeys.cohort(id),
    queryFn: ({ signal }) => getCohort({ id, signal }),
    // What a cohort resolves to changes as sites change: always ask again.
    staleTime: 0,
  });

export function useCohort(id: number) {
  return useQuery(cohortQueryOptions(id));
}
