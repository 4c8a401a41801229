// The sites view lives in the URL (`?q=&version=&paused=&label=k=v&label=…&page=`), so a filtered
// page can be shared and the back button works. Defaults are left out of the URL.
import type { QueryParams } from '@/lib/api-types';

export const pageSize = 25;

export type PausedFilter = '' | 'true' | 'false';

export type SiteFilters = {
  q: string;
  version: string;
  paused: PausedFilter;
  labels: string[];
  /** 1-based. */
  page: number;
};

/** The server's selector grammar: one `key=value` (value may be empty), no spaces. */
export const labelSelectorPattern = /^[^=\s]+=[^=\s]*$/;

export function filtersFromSearch(search: URLSearchParams): SiteFilters {
  const paused = search.get('paused');
  const page = Number.parseInt(search.get('page') ?? '', 10);
  return {
    q: search.get('q')?.trim() ?? '',
    version: search.get('version') ?? '',
    paused: paused === 'true' || paused === 'false' ? paused : '',
    labels: [...new Set(search.getAll('label').filter((l) => labelSelectorPattern.test(l)))],
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  };
}

export function searchFromFilters(filters: SiteFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.q) search.set('q', filters.q);
  if (filters.version) search.set('version', filters.version);
  if (filters.paused) search.set('paused', filters.paused);
  for (const label of filters.labels) search.append('label', label);
  if (filters.page > 1) search.set('page', String(filters.page));
  return search;
}

export function toListQuery(filters: SiteFilters): QueryParams<'/api/v1/sites', 'get'> {
  return {
    q: filters.q || undefined,
    version: filters.version || undefined,
    paused: filters.paused || undefined,
    label: filters.labels,
    limit: pageSize,
    offset: (filters.page - 1) * pageSize,
  };
}
