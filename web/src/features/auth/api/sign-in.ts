import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/lib/query-keys';
import { session } from '@/lib/session';
import { getMe } from './get-me';

/** Checks a token with GET /me and keeps it only when the server accepts it. */
export function useSignIn(options: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => getMe({ token }),
    onSuccess: (me, token) => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.me, me);
      session.start(token);
      options.onSuccess?.();
    },
  });
}

export function signOut() {
  session.end('signed-out');
}
