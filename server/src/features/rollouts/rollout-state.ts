// The rollout state machine: which action is allowed from which state.
import type { RolloutState } from '../../db/generated/enums.ts';
import { ConflictError } from '../../lib/errors.ts';

export type RolloutAction =
  'approve' | 'start' | 'pause' | 'resume' | 'advance' | 'halt' | 'revert' | 'abort' | 'complete';

const allowed: Record<RolloutAction, RolloutState[]> = {
  approve: ['awaiting_approval'],
  start: ['planned'],
  pause: ['running'],
  resume: ['paused'],
  advance: ['running'],
  halt: ['running', 'paused'],
  revert: ['running', 'paused', 'halted', 'completed', 'reverting'],
  abort: ['awaiting_approval', 'planned'],
  complete: ['running'],
};

/** States in which a rollout holds its sites (no other rollout may claim them). */
export const activeStates: RolloutState[] = [
  'awaiting_approval',
  'planned',
  'running',
  'paused',
  'halted',
  'reverting',
];

export const rolloutRef = (id: number) => `r-${id}`;

export function assertAllowed(action: RolloutAction, state: RolloutState, id: number): void {
  if (allowed[action].includes(state)) return;
  const hint =
    action === 'abort'
      ? '; after it has started, revert it instead'
      : action === 'revert' && (state === 'planned' || state === 'awaiting_approval')
        ? '; it changed nothing yet: abort it instead'
        : '';
  throw new ConflictError(
    `rollout ${rolloutRef(id)} is ${state.replace('_', ' ')}; ${action} applies only to ${allowed[action].join(', ').replaceAll('_', ' ')} rollouts${hint}`,
    [],
    'invalid_state',
  );
}
