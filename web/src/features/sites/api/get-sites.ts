import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { toListQuery } from '../site-filters';
import type { SiteFilters } from '../site-filters';

export function getSites(options: { filters: SiteFilters; signal?: AbortSignal }) {
  return body(
    api.GET('/api/v1/sites', {
      params: { query: toListQuery(options.filters) },
      signal: options.signal,
    }),
  );
}

export const sitesQueryOptions = (filters: SiteFilters) =>
  queryOptions({
    queryKey: queryKeys.siteList(filters),
    queryFn: ({ signal }) => getSites({ filters, signal }),
    // Paging and filtering keep the current rows on screen until the next page arrives.
    placeholderData: keepPreviousData,
  });

export function useSites(filters: SiteFilters) {
  return useQuery(sitesQueryOptions(filters));
}
