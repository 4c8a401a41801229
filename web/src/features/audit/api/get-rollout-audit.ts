import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { liveRefreshMs } from '@/lib/live-refresh';
import { queryKeys } from '@/lib/query-keys';

export const auditLimit = 100;

/** A rollout's events, newest first: its own actions and the pin changes it made. */
export function getRolloutAudit(options: { rolloutId: number; signal?: AbortSignal }) {
  return body(
    api.GET('/api/v1/audit', {
      params: { query: { rollout: String(options.rolloutId), limit: auditLimit } },
      signal: options.signal,
    }),
  );
}

export const rolloutAuditQueryOptions = (rolloutId: number, live: boolean) =>
  queryOptions({
    queryKey: queryKeys.rolloutAudit(rolloutId),
    queryFn: ({ signal }) => getRolloutAudit({ rolloutId, signal }),
    refetchInterval: live ? liveRefreshMs : false,
  });

export function useRolloutAudit(rolloutId: number, live: boolean) {
  return useQuery(rolloutAuditQueryOptions(rolloutId, live));
}
