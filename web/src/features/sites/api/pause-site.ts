import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Site } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export function pauseSite(options: { key: string; reason: string }): Promise<Site> {
  return api.post('/api/v1/sites/{key}/pause', {
    params: { key: options.key },
    body: { reason: options.reason },
  });
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
