import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Version } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export function getVersions(options: { signal?: AbortSignal } = {}): Promise<{ items: Version[] }> {
  return api.get('/api/v1/versions', options);
}

export const versionsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.versions,
    queryFn: ({ signal }) => getVersions({ signal }),
    select: (data) => data.items,
  });

export function useVersions() {
  return useQuery(versionsQueryOptions());
}
