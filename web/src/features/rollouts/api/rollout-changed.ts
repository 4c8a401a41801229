import type { QueryClient } from '@tanstack/react-query';
import type { Rollout } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

/**
 * After an action: show the rollout the server answered with at once, then refresh everything
 * the action can change — lists, targets, analysis, the audit trail, and (when pins moved) the
 * sites, their histories and the version counts.
 */
export function rolloutChanged(
  queryClient: QueryClient,
  rollout: Rollout,
  options: { pins?: boolean } = {},
) {
  queryClient.setQueryData(queryKeys.rollout(rollout.id), rollout);
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.rollouts }),
    queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
    queryClient.invalidateQueries({ queryKey: queryKeys.rolloutRepair(rollout.id) }),
    ...(options.pins
      ? [
          queryClient.invalidateQueries({ queryKey: queryKeys.sites }),
          queryClient.invalidateQueries({ queryKey: queryKeys.pinHistories }),
          queryClient.invalidateQueries({ queryKey: queryKeys.versions }),
        ]
      : []),
  ]);
}

/** A refused action usually means the page is behind the server: show where the rollout is. */
export function rolloutRefused(queryClient: QueryClient, id: number) {
  return queryClient.invalidateQueries({ queryKey: queryKeys.rollout(id) });
}
