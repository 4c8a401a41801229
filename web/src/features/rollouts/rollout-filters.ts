// The rollouts list lives in the URL (`?state=running`, or `?state=active` for every rollout
// that still holds its sites), so an on-call link shows the same list.
import type { QueryParams, RolloutState } from '@/lib/api-types';
import { activeStates, rolloutStates } from './rollout-rules';

export type StateFilter = '' | 'active' | RolloutState;

export function stateFilterFromSearch(search: URLSearchParams): StateFilter {
  const state = search.get('state') ?? '';
  if (state === 'active') return 'active';
  return (rolloutStates as string[]).includes(state) ? (state as RolloutState) : '';
}

export function searchFromStateFilter(state: StateFilter): URLSearchParams {
  return new URLSearchParams(state ? { state } : {});
}

export function toListQuery(state: StateFilter): QueryParams<'/api/v1/rollouts', 'get'> {
  return {
    state: state === 'active' ? activeStates : state || undefined,
    limit: 200,
  };
}
