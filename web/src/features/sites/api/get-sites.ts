import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ResponseBody } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';
import { toListQuery } from '../site-filters';
import type { SiteFilters } from '../site-filters';

export type SitePage = ResponseBody<'/api/v1/sites', 'get'>;

export function getSites(options: {
  filters: SiteFilters;
  signal?: AbortSignal;
}): Promise<SitePage> {
  return api.get('/api/v1/sites', { query: toListQuery(options.filters), signal: options.signal });
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
