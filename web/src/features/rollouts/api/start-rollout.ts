import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { RequestBody, Rollout } from '@/lib/api-types';
import { rolloutChanged, rolloutRefused } from './rollout-changed';

export type StartRolloutInput = { id: number } & RequestBody<'/api/v1/rollouts/{id}/start', 'post'>;

/** The server starts the plan only if `confirm` matches its count and fingerprint exactly. */
export function startRollout({ id, ...body }: StartRolloutInput): Promise<Rollout> {
  return api.post('/api/v1/rollouts/{id}/start', { params: { id: String(id) }, body });
}

export function useStartRollout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startRollout,
    onSuccess: (rollout) => rolloutChanged(queryClient, rollout),
    onError: (_error, input) => rolloutRefused(queryClient, input.id),
  });
}
