import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import type { RequestBody } from '@/lib/api-types';
import { rolloutChanged, rolloutRefused } from './rollout-changed';

export type StartRolloutInput = { id: number } & RequestBody<'/api/v1/rollouts/{id}/start', 'post'>;

/** The server starts the plan only if `confirm` matches its count and fingerprint exactly. */
export function startRollout({ id, ...confirmation }: StartRolloutInput) {
  return body(
    api.POST('/api/v1/rollouts/{id}/start', {
      params: { path: { id: String(id) } },
      body: confirmation,
    }),
  );
}

export function useStartRollout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startRollout,
    onSuccess: (rollout) => rolloutChanged(queryClient, rollout),
    onError: (_error, input) => rolloutRefused(queryClient, input.id),
  });
}
