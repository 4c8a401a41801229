import { describe, expect, it } from 'vitest';
import { filtersFromSearch, pageSize, searchFromFilters, toListQuery } from './site-filters';

describe('site filters in the URL', () => {
  it('reads every filter and the page, and turns the page into limit/offset', () => {
    const filters = filtersFromSearch(
      new URLSearchParams('q=shop&version=v2&paused=true&label=region=eu&label=tier=gold&page=3'),
    );
    expect(toListQuery(filters)).toEqual({
      q: 'shop',
      version: 'v2',
      paused: 'true',
      label: ['region=eu', 'tier=gold'],
      limit: pageSize,
      offset: 2 * pageSize,
    });
  });

  it('survives a round trip through the URL and leaves defaults out', () => {
    const search = 'q=shop&label=region%3Deu&label=tier%3D&page=2';
    expect(searchFromFilters(filtersFromSearch(new URLSearchParams(search))).toString()).toBe(
      search,
    );
    expect(
      searchFromFilters({ q: '', version: '', paused: '', labels: [], page: 1 }).toString(),
    ).toBe('');
  });

  it('ignores values a hand-edited URL could carry that the server would reject', () => {
    const filters = filtersFromSearch(
      new URLSearchParams('paused=maybe&page=-4&label=no-equals&label=a=b&label=a=b'),
    );
    expect(filters).toMatchObject({ paused: '', page: 1, labels: ['a=b'] });
  });
});
