import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { rolloutChanged, rolloutRefused } from './rollout-changed';

export function abortRollout(options: { id: number; reason: string }) {
  return body(
    api.POST('/api/v1/rollouts/{id}/abort', {
      params: { path: { id: String(options.id) } },
      body: { reason: options.reason },
    }),
  );
}

export function useAbortRollout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: abortRollout,
    onSuccess: (rollout) => rolloutChanged(queryClient, rollout),
    onError: (_error, input) => rolloutRefused(queryClient, input.id),
  });
}
