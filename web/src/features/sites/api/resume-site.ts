import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function resumeSite(options: { key: string; reason: string }) {
  return body(
    api.POST('/api/v1/sites/{key}/resume', {
      params: { path: { key: options.key } },
      body: { reason: options.reason },
    }),
  );
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
