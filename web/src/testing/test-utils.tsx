import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';

/**
 * Renders with a fresh query client (no retries, so errors show at once) and a router; `rerender`
 * keeps both, as a page does when its data changes.
 */
export function renderWithProviders(ui: ReactElement) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <MemoryRouter>{children}</MemoryRouter>
    </QueryClientProvider>
  );
  return { queryClient, ...render(ui, { wrapper }) };
}

export type RecordedRequest = { method: string; url: string; headers: Headers; body: unknown };

/**
 * Replaces fetch with a fake server: `respond` answers each request; every request is recorded
 * (method, path with query, headers, parsed JSON body) for the test to inspect.
 */
export function fakeServer(respond: (request: RecordedRequest) => Response | Promise<Response>) {
  const requests: RecordedRequest[] = [];
  // The API client always calls fetch with one Request (openapi-fetch does).
  const fetchMock = vi.fn(async (sent: Request) => {
    const url = new URL(sent.url);
    const text = await sent.text();
    const request: RecordedRequest = {
      method: sent.method,
      url: url.pathname + url.search,
      headers: sent.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    requests.push(request);
    return respond(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { requests };
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}
