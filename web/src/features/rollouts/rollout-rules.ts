// What the dashboard offers for a rollout: mirrors the server's state machine
// (server/src/features/rollouts/rollout-state.ts) and the roles of its routes. The server stays
// the judge; this only decides which buttons to show.
import type { Role, Rollout, RolloutState } from '@/lib/api-types';
import { hasRole } from '@/lib/authorization';
import type { StaffRole } from '@/lib/authorization';

export type RolloutAction =
  'approve' | 'start' | 'pause' | 'resume' | 'advance' | 'halt' | 'abort' | 'revert' | 'repair';

const rules: Record<RolloutAction, { states: RolloutState[]; role: StaffRole }> = {
  approve: { states: ['awaiting_approval'], role: 'release' },
  start: { states: ['planned'], role: 'release' },
  pause: { states: ['running'], role: 'operator' },
  resume: { states: ['paused'], role: 'release' },
  advance: { states: ['running'], role: 'release' },
  halt: { states: ['running', 'paused'], role: 'operator' },
  abort: { states: ['awaiting_approval', 'planned'], role: 'release' },
  revert: { states: ['running', 'paused', 'halted', 'completed', 'reverting'], role: 'operator' },
  repair: { states: ['reverted'], role: 'operator' },
};

export function canDo(
  action: RolloutAction,
  rollout: Pick<Rollout, 'state' | 'phase'>,
  role: Role | undefined,
): boolean {
  const rule = rules[action];
  if (!rule.states.includes(rollout.state) || !hasRole(role, rule.role)) return false;
  // The server passes a stage by hand only once it bakes, not while its pins are being written.
  if (action === 'advance') return rollout.phase === 'baking';
  return true;
}

/** The actions this role may take on this rollout now, in the order the page shows them. */
export function availableActions(
  rollout: Pick<Rollout, 'state' | 'phase'>,
  role: Role | undefined,
): RolloutAction[] {
  return (Object.keys(rules) as RolloutAction[]).filter((a) => canDo(a, rollout, role));
}

/** States in which the engine moves the rollout on its own: the page follows it live. */
export function isMoving(state: RolloutState | undefined): boolean {
  return state === 'running' || state === 'reverting';
}

export const rolloutStates: RolloutState[] = [
  'awaiting_approval',
  'planned',
  'running',
  'paused',
  'halted',
  'reverting',
  'reverted',
  'completed',
  'aborted',
];

/** States that still hold their sites (the server's activeStates). */
export const activeStates: RolloutState[] = [
  'awaiting_approval',
  'planned',
  'running',
  'paused',
  'halted',
  'reverting',
];

export function stateLabel(state: RolloutState): string {
  return state.replace('_', ' ');
}
