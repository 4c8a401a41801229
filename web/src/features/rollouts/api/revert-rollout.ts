import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ResponseBody } from '@/lib/api-types';
import { rolloutChanged, rolloutRefused } from './rollout-changed';

export type RevertOutcome = ResponseBody<'/api/v1/rollouts/{id}/revert', 'post'>;

/** Every site the rollout changed goes back to its pre-rollout pin, in one transaction. */
export function revertRollout(options: { id: number; reason: string }): Promise<RevertOutcome> {
  return api.post('/api/v1/rollouts/{id}/revert', {
    params: { id: String(options.id) },
    body: { reason: options.reason },
  });
}

export function useRevertRollout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revertRollout,
    onSuccess: ({ alreadyReverted: _a, reverted: _r, paused: _p, conflicts: _c, ...rollout }) =>
      rolloutChanged(queryClient, rollout, { pins: true }),
    onError: (_error, input) => rolloutRefused(queryClient, input.id),
  });
}
