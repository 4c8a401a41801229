import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { paths } from '@/config/paths';
import type { Rollout } from '@/lib/api-types';
import { formatDateTime, formatNumber } from '@/lib/format';
import styles from './rollout-header.module.css';
import { RolloutStateBadge } from './rollout-state-badge';

const verdictTitle: Partial<Record<Rollout['state'], string>> = {
  halted: 'Halted',
  reverting: 'Reverting',
  reverted: 'Reverted',
  aborted: 'Aborted',
};

function When({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/**
 * Who, what and where the rollout stands, with the end reason as its verdict: when a rollout is
 * halted or reverted, the sentence that says why is the first thing on the page.
 */
export function RolloutHeader({ rollout, revert }: { rollout: Rollout; revert?: ReactNode }) {
  const r = rollout;
  const trouble = r.state === 'halted' || r.state === 'reverting' || r.state === 'reverted';
  return (
    <header className={styles.header}>
      <div className={styles.title}>
        <div className="page-header">
          <h1>
            <span className="mono">{r.ref}</span> to <span className="mono">{r.targetVersion}</span>
          </h1>
          <RolloutStateBadge state={r.state} className={styles.state} />
          {r.phase && r.state === 'running' ? (
            <span className="muted">
              stage {r.currentStage} of {r.stages.length}, {r.phase}
            </span>
          ) : null}
        </div>
        {revert}
      </div>
      {r.description ? <p className={styles.description}>{r.description}</p> : null}
      <p className={`muted ${styles.meta}`}>
        {formatNumber(r.targetCount)} sites · planned by {r.createdBy} <When iso={r.createdAt} />
        {r.approvedBy ? ` · approved by ${r.approvedBy}` : null}
        {r.startedBy && r.startedAt ? (
          <>
            {' '}
            · started by {r.startedBy} <When iso={r.startedAt} />
          </>
        ) : null}
        {r.endedAt ? (
          <>
            {' '}
            · ended <When iso={r.endedAt} />
          </>
        ) : null}
      </p>
      {r.waiting ? (
        <div className="verdict verdict-warning" role="status" aria-label="Waiting">
          <strong>Waiting:</strong> {r.waiting}.{' '}
          <Link to={paths.sensors.getHref()}>See the sensors</Link>
        </div>
      ) : null}
      {r.endReason ? (
        <div
          className={trouble ? 'verdict verdict-danger' : 'verdict'}
          role={trouble ? 'alert' : undefined}
          aria-label="End reason"
        >
          <strong>{verdictTitle[r.state] ?? 'Ended'}:</strong> {r.endReason}
        </div>
      ) : null}
    </header>
  );
}
