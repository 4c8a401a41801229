import { Badge } from '@/components/badge';
import type { BadgeTone } from '@/components/badge';
import type { RolloutState } from '@/lib/api-types';
import { stateLabel } from '../rollout-rules';

const tones: Record<RolloutState, BadgeTone> = {
  awaiting_approval: 'warning',
  planned: 'neutral',
  running: 'info',
  paused: 'warning',
  halted: 'danger',
  reverting: 'danger',
  reverted: 'danger',
  completed: 'success',
  aborted: 'neutral',
};

export function RolloutStateBadge({
  state,
  className,
}: {
  state: RolloutState;
  className?: string;
}) {
  return (
    <Badge tone={tones[state]} className={className}>
      {stateLabel(state)}
    </Badge>
  );
}
