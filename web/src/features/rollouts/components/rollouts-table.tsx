import { Link } from 'react-router';
import { ErrorMessage } from '@/components/error-message';
import { Loading } from '@/components/loading';
import { paths } from '@/config/paths';
import { formatDateTime, formatNumber } from '@/lib/format';
import { liveRefreshNote } from '@/lib/live-refresh';
import { useRollouts } from '../api/get-rollouts';
import type { StateFilter } from '../rollout-filters';
import { isMoving } from '../rollout-rules';
import { RolloutStateBadge } from './rollout-state-badge';
import styles from './rollouts-table.module.css';

export function RolloutsTable({ state }: { state: StateFilter }) {
  const rollouts = useRollouts(state);

  if (rollouts.isPending) return <Loading label="Loading rollouts…" />;
  if (rollouts.isError)
    return <ErrorMessage title="Could not load rollouts" error={rollouts.error} />;

  const live = rollouts.data.some((r) => isMoving(r.state));
  return (
    <div className="card table-card" aria-busy={rollouts.isFetching || undefined}>
      <div className="table-scroll">
        <table className="table" aria-label="Rollouts">
          <thead>
            <tr>
              <th scope="col">Rollout</th>
              <th scope="col">Target</th>
              <th scope="col">State</th>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Sites
              </th>
              <th scope="col">Created by</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {rollouts.data.length === 0 ? (
              <tr>
                <td colSpan={7} className="table-empty">
                  {state ? 'No rollouts in this state.' : 'No rollouts yet.'}
                </td>
              </tr>
            ) : (
              rollouts.data.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={paths.rollout.getHref(r.id)} className="mono">
                      {r.ref}
                    </Link>
                    {r.description ? (
                      <div className={`muted ${styles.description}`} title={r.description}>
                        {r.description}
                      </div>
                    ) : null}
                  </td>
                  <td className="mono">{r.targetVersion}</td>
                  <td>
                    <RolloutStateBadge state={r.state} />
                  </td>
                  <td className="nowrap">
                    {r.currentStage === 0 ? (
                      <span className="muted">not started</span>
                    ) : (
                      `${r.currentStage}/${r.stages.length}`
                    )}
                  </td>
                  <td className="num">{formatNumber(r.targetCount)}</td>
                  <td>{r.createdBy}</td>
                  <td className="nowrap">
                    {r.startedAt ? (
                      <time dateTime={r.startedAt}>{formatDateTime(r.startedAt)}</time>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <p className={`muted ${styles.footer}`} role="status">
        {formatNumber(rollouts.data.length)} rollouts, newest first
        {live ? ` · ${liveRefreshNote} while a rollout is moving` : ''}
      </p>
    </div>
  );
}
