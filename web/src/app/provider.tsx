import { QueryClientProvider } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { createQueryClient } from '@/lib/react-query';
import { session } from '@/lib/session';

export function AppProvider({
  children,
  queryClient: given,
}: {
  children: ReactNode;
  queryClient?: QueryClient;
}) {
  const [queryClient] = useState(() => given ?? createQueryClient());

  // Whatever ends the session (sign-out, or a 401 seen by the API client), nothing the last
  // token could read may stay in memory for the next one.
  useEffect(
    () =>
      session.subscribe(() => {
        if (session.getToken() === null) queryClient.clear();
      }),
    [queryClient],
  );

  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
