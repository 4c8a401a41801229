import { rolloutStates, stateLabel } from '../rollout-rules';
import type { StateFilter } from '../rollout-filters';

export function RolloutStateFilter({
  value,
  onChange,
}: {
  value: StateFilter;
  onChange: (state: StateFilter) => void;
}) {
  return (
    <form role="search" aria-label="Filter rollouts" className="filters">
      <div className="field">
        <label htmlFor="rollout-state">State</label>
        <select
          id="rollout-state"
          value={value}
          onChange={(e) => onChange(e.target.value as StateFilter)}
        >
          <option value="">All states</option>
          <option value="active">Active (holding their sites)</option>
          {rolloutStates.map((state) => (
            <option key={state} value={state}>
              {stateLabel(state)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
