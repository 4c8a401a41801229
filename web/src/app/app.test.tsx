import { QueryClient } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { describe, expect, it } from 'vitest';
import { session } from '@/lib/session';
import { fakeServer, json } from '@/testing/test-utils';
import { AppProvider } from './provider';
import { routes } from './router';

function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return Object.assign(router, { queryClient });
}

const unauthorized = () =>
  json({ code: 'unauthorized', message: 'missing or unknown token', details: [] }, 401);

describe('signing in and out', () => {
  it('sends a visitor without a token to sign in, then back to the page they asked for', async () => {
    const { requests } = fakeServer((request) => {
      if (request.url === '/api/v1/me') return json({ name: 'ci', owner: 'ana', role: 'release' });
      if (request.url.startsWith('/api/v1/sites/shop-1')) {
        return request.url === '/api/v1/sites/shop-1'
          ? json({
              key: 'shop-1',
              name: 'Shop One',
              labels: {},
              pinnedVersion: 'v1',
              paused: false,
              createdAt: '2026-01-01T00:00:00Z',
              updatedAt: '2026-01-01T00:00:00Z',
            })
          : json({ items: [] });
      }
      return json({ items: [] });
    });
    const user = userEvent.setup();
    const router = renderApp('/sites/shop-1');

    await user.type(await screen.findByLabelText('API token'), 'release-token-0123456789');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Shop One' })).toBeVisible();
    expect(router.state.location.pathname).toBe('/sites/shop-1');
    expect(screen.getByRole('group', { name: 'Signed in as' })).toHaveTextContent('ana');
    expect(screen.getByRole('group', { name: 'Signed in as' })).toHaveTextContent('release');
    expect(session.getToken()).toBe('release-token-0123456789');
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer release-token-0123456789');
  });

  it('returns to sign-in with an explanation when the server rejects the stored token', async () => {
    session.start('revoked-token-0123456789');
    fakeServer(unauthorized);
    const router = renderApp('/sites?q=shop');

    expect(await screen.findByRole('heading', { name: 'Sign in to Pinion' })).toBeVisible();
    expect(screen.getByRole('alert')).toHaveTextContent('The server no longer accepts your token');
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(new URLSearchParams(router.state.location.search).get('redirectTo')).toBe(
      '/sites?q=shop',
    );
    expect(session.getToken()).toBeNull();
  });

  it('keeps the visitor on the sign-in page when the token is wrong', async () => {
    fakeServer(unauthorized);
    const user = userEvent.setup();
    renderApp('/sign-in');

    await user.type(screen.getByLabelText('API token'), 'typo');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('This token is not recognised');
    expect(session.getToken()).toBeNull();
  });

  it('signs out: forgets the token and what it could read, and shows the sign-in page', async () => {
    session.start('admin-token-0123456789');
    fakeServer((request) =>
      request.url === '/api/v1/me'
        ? json({ name: 'root', owner: 'root', role: 'admin' })
        : json({ items: [], total: 0, limit: 25, offset: 0 }),
    );
    const user = userEvent.setup();
    const router = renderApp('/sites');
    expect(await screen.findByText('No sites match these filters.')).toBeVisible();

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in to Pinion' })).toBeVisible();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(session.getToken()).toBeNull();
    expect(router.queryClient.getQueryCache().getAll()).toHaveLength(0);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
