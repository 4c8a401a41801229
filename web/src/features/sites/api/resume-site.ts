import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Site } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export function resumeSite(options: { key: string; reason: string }): Promise<Site> {
  return api.post('/api/v1/sites/{key}/resume', {
    params: { key: options.key },
    body: { reason: options.reason },
  });
}

export function useResumeSite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resumeSite,
    onSuccess: (site) => {
      queryClient.setQueryData(queryKeys.site(site.key), site);
      return queryClient.invalidateQueries({ queryKey: queryKeys.sites });
    },
  });
}
