import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import type { RequestBody } from '@/lib/api-types';
import { rolloutChanged } from './rollout-changed';

export type PlanRolloutBody = RequestBody<'/api/v1/rollouts', 'post'>;

export function planRollout(plan: PlanRolloutBody) {
  return body(api.POST('/api/v1/rollouts', { body: plan }));
}

export function usePlanRollout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: planRollout,
    onSuccess: (rollout) => rolloutChanged(queryClient, rollout),
  });
}
