import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function getVersions(options: { signal?: AbortSignal } = {}) {
  return body(api.GET('/api/v1/versions', { signal: options.signal }));
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
