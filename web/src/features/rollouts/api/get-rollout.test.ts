import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { RolloutState } from '@/lib/api-types';
import { liveRefreshMs } from '@/lib/live-refresh';
import { aRollout } from '@/testing/data';
import { rolloutQueryOptions } from './get-rollout';
import { rolloutsQueryOptions } from './get-rollouts';

/** What refetchInterval answers for a query holding `data`. */
function interval(
  options: { queryKey: readonly unknown[]; refetchInterval?: unknown },
  data: unknown,
) {
  const client = new QueryClient();
  client.setQueryData(options.queryKey, data);
  const query = client.getQueryCache().find({ queryKey: options.queryKey })!;
  const refetch = options.refetchInterval as (q: typeof query) => number | false;
  return refetch(query);
}

describe('following a rollout live', () => {
  it.each([
    ['running', liveRefreshMs],
    ['reverting', liveRefreshMs],
    ['paused', false],
    ['halted', false],
    ['reverted', false],
    ['planned', false],
    ['completed', false],
  ] as [RolloutState, number | false][])('polls a %s rollout: %s', (state, expected) => {
    expect(interval(rolloutQueryOptions(12), aRollout({ state }))).toBe(expected);
  });

  it('polls the list while any listed rollout moves', () => {
    const options = rolloutsQueryOptions('');
    const list = (...states: RolloutState[]) => ({
      items: states.map((state, i) => aRollout({ id: i + 1, state })),
    });
    expect(interval(options, list('completed', 'running'))).toBe(liveRefreshMs);
    expect(interval(options, list('completed', 'halted', 'planned'))).toBe(false);
  });
});
