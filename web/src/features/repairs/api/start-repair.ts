import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** Idempotent: asking again returns the same repair and re-queues only the sites that failed. */
export function startRepair(options: { rolloutId: number; reason: string }) {
  return body(
    api.POST('/api/v1/rollouts/{id}/repair', {
      params: { path: { id: String(options.rolloutId) } },
      body: { reason: options.reason },
    }),
  );
}

export function useStartRepair() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startRepair,
    onSuccess: (repair) => {
      queryClient.setQueryData(queryKeys.repair(repair.id), repair);
      queryClient.setQueryData(queryKeys.rolloutRepair(repair.rolloutId), repair.id);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
        // A repair resumes the sites a revert paused, as each one finishes.
        queryClient.invalidateQueries({ queryKey: queryKeys.sites }),
      ]);
    },
  });
}
