import { describe, expect, it } from 'vitest';
import type { Role, RolloutState } from '@/lib/api-types';
import { availableActions } from './rollout-rules';

const actions = (
  state: RolloutState,
  role: Role | undefined,
  phase: 'applying' | 'baking' | null = null,
) => availableActions({ state, phase }, role);

describe('which actions a rollout offers', () => {
  it('offers an operator on a running rollout pause, halt and revert, but not advance', () => {
    expect(actions('running', 'operator', 'baking')).toEqual(['pause', 'halt', 'revert']);
  });

  it('offers release advance only once the stage bakes (the server refuses it while applying)', () => {
    expect(actions('running', 'release', 'baking')).toEqual(['pause', 'advance', 'halt', 'revert']);
    expect(actions('running', 'release', 'applying')).toEqual(['pause', 'halt', 'revert']);
  });

  it('lets only release and above resume a paused rollout; operators may still halt or revert it', () => {
    expect(actions('paused', 'operator')).toEqual(['halt', 'revert']);
    expect(actions('paused', 'release')).toEqual(['resume', 'halt', 'revert']);
  });

  it('keeps revert on every state that has changed pins, and repair once reverted', () => {
    for (const state of ['running', 'paused', 'halted', 'completed', 'reverting'] as const)
      expect(actions(state, 'operator')).toContain('revert');
    expect(actions('reverted', 'operator')).toEqual(['repair']);
    expect(actions('planned', 'admin')).not.toContain('revert');
  });

  it('offers plans to release only: approve or start, and abort', () => {
    expect(actions('awaiting_approval', 'release')).toEqual(['approve', 'abort']);
    expect(actions('planned', 'admin')).toEqual(['start', 'abort']);
    expect(actions('planned', 'operator')).toEqual([]);
  });

  it('offers nothing to a viewer, to service tokens, or before the role is known', () => {
    for (const role of ['viewer', 'client', 'ingest', undefined] as const) {
      expect(actions('running', role, 'baking')).toEqual([]);
      expect(actions('halted', role)).toEqual([]);
    }
  });

  it('offers nothing on finished rollouts but revert of a completed one', () => {
    expect(actions('aborted', 'admin')).toEqual([]);
    expect(actions('completed', 'admin')).toEqual(['revert']);
  });
});
