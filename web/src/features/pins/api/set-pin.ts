import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, body } from '@/lib/api-client';
import type { RequestBody } from '@/lib/api-types';
import { queryKeys } from '@/lib/query-keys';

export type SetPinInput = { siteKey: string } & RequestBody<'/api/v1/sites/{key}/pin', 'put'>;

export function setPin({ siteKey, ...change }: SetPinInput) {
  return body(
    api.PUT('/api/v1/sites/{key}/pin', { params: { path: { key: siteKey } }, body: change }),
  );
}

export function useSetPin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setPin,
    onSuccess: async (result, input) => {
      queryClient.setQueryData(queryKeys.site(input.siteKey), result.site);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.pinHistory(input.siteKey) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.sites }),
        queryClient.invalidateQueries({ queryKey: queryKeys.versions }),
      ]);
    },
    onError: (_error, input) =>
      // A refused change (409: someone else moved the pin) means the page shows a stale pin and
      // a stale history: show the current ones so the next decision is made on them.
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.site(input.siteKey) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.pinHistory(input.siteKey) }),
      ]),
  });
}
