import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function pauseSite(options: { key: string; reason: string }) {
  return body(
    api.POST('/api/v1/sites/{key}/pause', {
      params: { path: { key: options.key } },
      body: { reason: options.reason },
    }),
  );
}

export function usePauseSite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: pauseSite,
    onSuccess: (site) => {
      queryClient.setQueryData(queryKeys.site(site.key), site);
      return queryClient.invalidateQueries({ queryKey: queryKeys.sites });
    },
  });
}
