import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Rollout } from '@/lib/api-types';
import { rolloutChanged, rolloutRefused } from './rollout-changed';

export function advanceRollout(options: { id: number; reason: string }): Promise<Rollout> {
  return api.post('/api/v1/rollouts/{id}/advance', {
    params: { id: String(options.id) },
    body: { reason: options.reason },
  });
}

export function useAdvanceRollout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: advanceRollout,
    onSuccess: (rollout) => rolloutChanged(queryClient, rollout),
    onError: (_error, input) => rolloutRefused(queryClient, input.id),
  });
}
