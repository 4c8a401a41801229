import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { rolloutChanged, rolloutRefused } from './rollout-changed';

export function resumeRollout(options: { id: number; reason: string }) {
  return body(
    api.POST('/api/v1/rollouts/{id}/resume', {
      params: { path: { id: String(options.id) } },
      body: { reason: options.reason },
    }),
  );
}

export function useResumeRollout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resumeRollout,
    onSuccess: (rollout) => rolloutChanged(queryClient, rollout),
    onError: (_error, input) => rolloutRefused(queryClient, input.id),
  });
}
