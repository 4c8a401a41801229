import { useState } from 'react';
import { ReasonDialog } from '@/components/reason-dialog';
import type { Rollout } from '@/lib/api-types';
import { plural } from '@/lib/format';
import { useRevertRollout } from '../api/revert-rollout';
import type { RevertOutcome } from '../api/revert-rollout';
import styles from './revert-control.module.css';

/**
 * The one-click revert: one dialog asking only for a reason, one click to confirm. Every site
 * the rollout changed goes back to its previous pin; sites someone else changed since are
 * listed, not overwritten.
 */
export function RevertControl({
  rollout,
  onReverted,
}: {
  rollout: Rollout;
  /** The server's answer: how many sites went back, and which were left alone. */
  onReverted: (outcome: RevertOutcome) => void;
}) {
  const [open, setOpen] = useState(false);
  const revert = useRevertRollout();

  return (
    <>
      <button
        type="button"
        className="button button-danger-solid button-large"
        onClick={() => {
          revert.reset();
          setOpen(true);
        }}
      >
        Revert
      </button>
      {open ? (
        <ReasonDialog
          title={`Revert ${rollout.ref}`}
          confirmLabel={`Revert ${rollout.ref}`}
          tone="danger"
          error={revert.error}
          onClose={() => setOpen(false)}
          onConfirm={(reason) =>
            revert.mutateAsync({ id: rollout.id, reason }).then((outcome) => {
              setOpen(false);
              onReverted(outcome);
            })
          }
        >
          <p>
            Every site this rollout moved to{' '}
            <strong className="mono">{rollout.targetVersion}</strong> (
            {plural(rollout.progress.applied ?? 0, 'site')} so far) goes back to the version it had
            before, at once and in one transaction. The API instances honour it within a second.
          </p>
        </ReasonDialog>
      ) : null}
    </>
  );
}

/** What the last revert did, in numbers: shown on the page until the person dismisses it. */
export function RevertResult({
  outcome,
  onDismiss,
}: {
  outcome: RevertOutcome;
  onDismiss: () => void;
}) {
  return (
    <div
      role="status"
      className={outcome.conflicts.length ? 'alert alert-warning' : 'alert alert-success'}
    >
      <div className={styles.row}>
        <strong>
          {outcome.alreadyReverted
            ? `${outcome.ref} was already reverted; nothing changed.`
            : `Reverted ${plural(outcome.reverted, 'site')} to their previous version.`}
        </strong>
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      {outcome.paused.length > 0 ? (
        <p>
          {plural(outcome.paused.length, 'site')} paused until repaired, as the rollout&apos;s
          revert policy asks.
        </p>
      ) : null}
      {outcome.conflicts.length > 0 ? (
        <>
          <p>
            {plural(outcome.conflicts.length, 'site')} left alone: someone changed their pin after
            the rollout did.
          </p>
          <ul className="alert-details" aria-label="Revert conflicts">
            {outcome.conflicts.map((c) => (
              <li key={c.siteKey}>
                <span className="mono">{c.siteKey}</span>: now on{' '}
                <span className="mono">{c.found ?? 'no pin'}</span>, the rollout had set{' '}
                <span className="mono">{c.expected}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
