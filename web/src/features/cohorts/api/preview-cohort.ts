import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** Resolves a selector to the exact count, a sample and a fingerprint; changes nothing. */
export function previewCohort(options: { selector: string; signal?: AbortSignal }) {
  return body(
    api.POST('/api/v1/cohorts/preview', {
      body: { selector: options.selector },
      signal: options.signal,
    }),
  );
}

export const cohortPreviewQueryOptions = (selector: string) =>
  queryOptions({
    queryKey: queryKeys.cohortPreview(selector),
    queryFn: ({ signal }) => previewCohort({ selector, signal }),
    enabled: selector !== '',
    staleTime: 0,
    // The previous answer stays on screen while the next one is on its way.
    placeholderData: keepPreviousData,
  });

export function useCohortPreview(selector: string) {
  return useQuery(cohortPreviewQueryOptions(selector));
}
