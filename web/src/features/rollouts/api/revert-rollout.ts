import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { rolloutChanged, rolloutRefused } from './rollout-changed';

/** Every site the rollout changed goes back to its pre-rollout pin, in one transaction. */
export function revertRollout(options: { id: number; reason: string }) {
  return body(
    api.POST('/api/v1/rollouts/{id}/revert', {
      params: { path: { id: String(options.id) } },
      body: { reason: options.reason },
    }),
  );
}

export type RevertOutcome = Awaited<ReturnType<typeof revertRollout>>;

export function useRevertRollout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revertRollout,
    onSuccess: ({ alreadyReverted: _a, reverted: _r, paused: _p, conflicts: _c, ...rollout }) =>
      rolloutChanged(queryClient, rollout, { pins: true }),
    onError: (_error, input) => rolloutRefused(queryClient, input.id),
  });
}
