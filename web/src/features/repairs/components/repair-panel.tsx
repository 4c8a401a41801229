import { useState } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/badge';
import type { BadgeTone } from '@/components/badge';
import { ErrorMessage } from '@/components/error-message';
import { Loading } from '@/components/loading';
import { ReasonDialog } from '@/components/reason-dialog';
import { paths } from '@/config/paths';
import type { Repair, RepairSite } from '@/lib/api-types';
import { formatDateTime, formatNumber, plural } from '@/lib/format';
import { liveRefreshNote } from '@/lib/live-refresh';
import { useRolloutRepair } from '../api/find-rollout-repair';
import { useRepair } from '../api/get-repair';
import { useStartRepair } from '../api/start-repair';
import styles from './repair-panel.module.css';

const siteStates: RepairSite['state'][] = [
  'queued',
  'restoring',
  'replaying',
  'exporting',
  'done',
  'failed',
];
const siteTone: Record<RepairSite['state'], BadgeTone> = {
  queued: 'neutral',
  restoring: 'info',
  replaying: 'info',
  exporting: 'info',
  done: 'success',
  failed: 'danger',
};
const repairTone: Record<Repair['state'], BadgeTone> = {
  running: 'info',
  done: 'success',
  failed: 'danger',
};

function RepairProgress({ repair }: { repair: Repair }) {
  const total = Object.values(repair.counts).reduce((a, b) => a + b, 0);
  const done = repair.counts.done ?? 0;
  return (
    <div className="stack">
      <p>
        <Badge tone={repairTone[repair.state]}>{repair.state}</Badge> {formatNumber(done)} of{' '}
        {plural(total, 'site')} repaired · started by {repair.createdBy}{' '}
        <time dateTime={repair.createdAt}>{formatDateTime(repair.createdAt)}</time>
        {repair.state === 'running' ? <span className="muted"> · {liveRefreshNote}</span> : null}
      </p>
      <progress
        className={styles.progress}
        max={Math.max(total, 1)}
        value={done}
        aria-label="Repaired"
      />
      <div className="progress-counts" role="group" aria-label="Repair sites by state">
        {siteStates
          .filter((s) => (repair.counts[s] ?? 0) > 0)
          .map((s) => (
            <span key={s} className="progress-count">
              <Badge tone={siteTone[s]}>{s}</Badge> {formatNumber(repair.counts[s] ?? 0)}
            </span>
          ))}
      </div>
      {repair.sites.length > 0 ? (
        <div className="table-scroll">
          <table className="table" aria-label="Repair sites">
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col">State</th>
                <th scope="col">Bad version</th>
                <th scope="col">Note</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {repair.sites.map((s) => (
                <tr key={s.siteKey}>
                  <td>
                    <Link to={paths.site.getHref(s.siteKey)} className="mono">
                      {s.siteKey}
                    </Link>
                  </td>
                  <td>
                    <Badge tone={siteTone[s.state]}>{s.state}</Badge>
                  </td>
                  <td className="mono">{s.badVersion}</td>
                  <td className="reason">{s.reason ?? ''}</td>
                  <td className="nowrap">
                    <time dateTime={s.updatedAt}>{formatDateTime(s.updatedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

/**
 * Repairs the sites of a reverted rollout: the ingestion API restores each catalog from before
 * the bad version, replays the journaled imports with the restored pin and re-exports. Progress
 * is followed live until every site is done or failed.
 */
export function RepairPanel({
  rolloutId,
  rolloutRef,
  allowed,
}: {
  rolloutId: number;
  rolloutRef: string;
  /** The operator role or higher. */
  allowed: boolean;
}) {
  const [open, setOpen] = useState(false);
  const found = useRolloutRepair(rolloutId);
  const repair = useRepair(found.data ?? null);
  const start = useStartRepair();

  if (found.isPending) return <Loading label="Looking for a repair…" />;
  if (found.isError)
    return <ErrorMessage title="Could not look up the repair" error={found.error} />;

  const failed = repair.data?.state === 'failed';
  const button =
    allowed && (found.data === null || failed) ? (
      <button
        type="button"
        className={failed ? 'button' : 'button button-primary'}
        onClick={() => {
          start.reset();
          setOpen(true);
        }}
      >
        {failed ? 'Retry failed sites' : 'Repair sites'}
      </button>
    ) : null;

  return (
    <div className="stack">
      {found.data === null ? (
        <p>
          The sites are back on their previous version, but imports they ran on the bad version may
          have lost data. A repair restores each site&apos;s catalog from before the rollout,
          replays its journaled imports with the restored version, and exports again.
        </p>
      ) : repair.isError ? (
        <ErrorMessage title="Could not load the repair" error={repair.error} />
      ) : repair.data ? (
        <RepairProgress repair={repair.data} />
      ) : (
        <Loading label="Loading the repair…" />
      )}
      {button ? <div>{button}</div> : null}
      {!allowed && found.data === null ? (
        <p className="muted">Starting a repair needs the operator role.</p>
      ) : null}
      {open ? (
        <ReasonDialog
          title={failed ? `Retry the repair of ${rolloutRef}` : `Repair the sites of ${rolloutRef}`}
          confirmLabel={failed ? 'Retry failed sites' : 'Start repair'}
          error={start.error}
          onClose={() => setOpen(false)}
          onConfirm={(reason) =>
            start.mutateAsync({ rolloutId, reason }).then(() => setOpen(false))
          }
        >
          <p>
            {failed
              ? 'Only the sites whose repair failed are queued again.'
              : 'Every site the rollout touched is restored and replayed by the ingestion API.'}
          </p>
        </ReasonDialog>
      ) : null}
    </div>
  );
}
