import { describe, expect, it, vi } from 'vitest';
import { fakeServer, json } from '@/testing/test-utils';
import { api, ApiError, body, withToken } from './api-client';
import { session } from './session';

describe('api client', () => {
  it('turns a 409 error body into an ApiError carrying the server message, code and details', async () => {
    fakeServer(() =>
      json(
        {
          code: 'pin_changed',
          message: "site 's-1' is pinned to v3, not v1 as expected; reload it and decide again",
          details: [{ path: 'expectedVersion', message: 'current pin is v3' }],
        },
        409,
      ),
    );

    const error = await api
      .PUT('/api/v1/sites/{key}/pin', {
        params: { path: { key: 's-1' } },
        body: { version: 'v2', reason: 'r', expectedVersion: 'v1' },
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'pin_changed',
      message: "site 's-1' is pinned to v3, not v1 as expected; reload it and decide again",
      details: [{ path: 'expectedVersion', message: 'current pin is v3' }],
    });
  });

  it('falls back to the HTTP status when the error body is not the API error shape', async () => {
    fakeServer(
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const error = await api.GET('/api/v1/versions').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'http_error' });
    expect((error as ApiError).message).toContain('502 Bad Gateway');
  });

  it('sends the session token as a bearer token and the body as JSON', async () => {
    session.start('secret-token-0123456789');
    const { requests } = fakeServer(() => json({ site: {}, changed: true }));

    const answer = await body(
      api.PUT('/api/v1/sites/{key}/pin', {
        params: { path: { key: 'shop.eu' } },
        body: { version: 'v2', reason: 'upgrade', expectedVersion: 'v1' },
      }),
    );

    expect(answer).toEqual({ site: {}, changed: true });

    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('PUT');
    expect(requests[0]!.url).toBe('/api/v1/sites/shop.eu/pin');
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer secret-token-0123456789');
    expect(requests[0]!.headers.get('Content-Type')).toBe('application/json');
    expect(requests[0]!.body).toEqual({ version: 'v2', reason: 'upgrade', expectedVersion: 'v1' });
  });

  it('ends the session when the server rejects the session token', async () => {
    session.start('revoked-token-0123456789');
    const ended = vi.fn();
    const unsubscribe = session.subscribe(ended);
    fakeServer(() =>
      json({ code: 'unauthorized', message: 'missing or unknown token', details: [] }, 401),
    );

    await expect(api.GET('/api/v1/sites')).rejects.toMatchObject({ status: 401 });

    expect(session.getToken()).toBeNull();
    expect(session.lastEndReason()).toBe('rejected');
    expect(ended).toHaveBeenCalledTimes(1);
    unsubscribe();
  });

  it('keeps the session when a token being tried at sign-in is rejected', async () => {
    session.start('good-token-0123456789');
    const { requests } = fakeServer(() =>
      json({ code: 'unauthorized', message: 'missing or unknown token', details: [] }, 401),
    );

    await expect(api.GET('/api/v1/me', withToken('typo-token'))).rejects.toMatchObject({
      status: 401,
    });

    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer typo-token');
    expect(session.getToken()).toBe('good-token-0123456789');
  });

  it('reports an unreachable server as a network error, not a crash', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(api.GET('/api/v1/versions')).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
    });
  });
});

describe('request URLs', () => {
  it('repeats array query parameters, leaves out unset ones and encodes path parameters', async () => {
    const { requests } = fakeServer(() => json({ items: [] }));

    await api.GET('/api/v1/sites', {
      params: { query: { label: ['region=eu', 'tier=gold'], q: undefined, limit: 25 } },
    });
    await api.GET('/api/v1/sites/{key}/imports', { params: { path: { key: 'a b/c' } } });

    expect(requests.map((r) => r.url)).toEqual([
      '/api/v1/sites?label=region%3Deu&label=tier%3Dgold&limit=25',
      '/api/v1/sites/a%20b%2Fc/imports',
    ]);
  });
});
