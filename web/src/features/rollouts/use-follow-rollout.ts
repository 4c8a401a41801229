import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Rollout } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

/**
 * When the engine moves the rollout on (a stage applied, a halt, a revert), everything that
 * hangs off it is refreshed once more: polling stops with the move that ended it, and the last
 * verdicts, targets, audit events and pins must not be the ones from just before.
 */
export function useFollowRollout(rollout: Rollout | undefined) {
  const queryClient = useQueryClient();
  const id = rollout?.id;
  const position = rollout ? `${rollout.state}:${rollout.currentStage}:${rollout.phase}` : null;
  const seen = useRef<string | null>(null);

  useEffect(() => {
    if (id === undefined || position === null) return;
    const moved = seen.current !== null && seen.current !== position;
    seen.current = position;
    if (!moved) return;
    void Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.rollouts }),
      queryClient.invalidateQueries({ queryKey: queryKeys.rolloutAudit(id) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.rolloutRepair(id) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.sites }),
      queryClient.invalidateQueries({ queryKey: queryKeys.pinHistories }),
      queryClient.invalidateQueries({ queryKey: queryKeys.versions }),
    ]);
  }, [queryClient, id, position]);
}
