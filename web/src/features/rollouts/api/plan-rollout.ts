import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { RequestBody, Rollout } from '@/lib/api-types';
import { rolloutChanged } from './rollout-changed';

export type PlanRolloutBody = RequestBody<'/api/v1/rollouts', 'post'>;

export function planRollout(body: PlanRolloutBody): Promise<Rollout> {
  return api.post('/api/v1/rollouts', { body });
}

export function usePlanRollout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: planRollout,
    onSuccess: (rollout) => rolloutChanged(queryClient, rollout),
  });
}
