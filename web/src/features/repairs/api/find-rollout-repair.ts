import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/**
 * The id of a rollout's repair, or null when none was started. The server has no "repair of
 * rollout" read, so this asks the audit log for the rollout's `repair.started` event.
 */
export async function findRolloutRepair(options: {
  rolloutId: number;
  signal?: AbortSignal;
}): Promise<number | null> {
  const { items } = await body(
    api.GET('/api/v1/audit', {
      params: {
        query: { rollout: String(options.rolloutId), action: 'repair.started', limit: 1 },
      },
      signal: options.signal,
    }),
  );
  const event = items[0];
  return event ? Number(event.subjectId) : null;
}

export const rolloutRepairQueryOptions = (rolloutId: number) =>
  queryOptions({
    queryKey: queryKeys.rolloutRepair(rolloutId),
    queryFn: ({ signal }) => findRolloutRepair({ rolloutId, signal }),
  });

export function useRolloutRepair(rolloutId: number) {
  return useQuery(rolloutRepairQueryOptions(rolloutId));
}
