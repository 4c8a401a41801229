import { ErrorMessage } from '@/components/error-message';
import { Loading } from '@/components/loading';
import type { AuditEvent } from '@/lib/api-types';
import { formatDateTime } from '@/lib/format';
import { auditLimit, useRolloutAudit } from '../api/get-rollout-audit';
import styles from './audit-trail.module.css';

/** `after` as one short line of key=value pairs: enough to tell events apart at a glance. */
export function describeDetails(after: unknown): string {
  if (after === null || typeof after !== 'object') return '';
  const parts = Object.entries(after as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  const line = parts.join(' · ');
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

function Row({ event }: { event: AuditEvent }) {
  const details = describeDetails(event.after);
  return (
    <tr>
      <td className="nowrap">
        <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
      </td>
      <td>{event.actor}</td>
      <td className="mono nowrap">{event.action}</td>
      <td className="reason">
        {event.reason ?? <span className="muted">—</span>}
        {details ? <div className={`muted mono ${styles.details}`}>{details}</div> : null}
      </td>
    </tr>
  );
}

export function AuditTrail({ rolloutId, live }: { rolloutId: number; live: boolean }) {
  const audit = useRolloutAudit(rolloutId, live);
  if (audit.isPending) return <Loading label="Loading the audit trail…" />;
  if (audit.isError)
    return <ErrorMessage title="Could not load the audit trail" error={audit.error} />;
  if (audit.data.items.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <div className="stack">
      <div className="table-scroll">
        <table className="table" aria-label="Audit trail">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Reason and details</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.items.map((event) => (
              <Row key={event.id} event={event} />
            ))}
          </tbody>
        </table>
      </div>
      {audit.data.nextBefore ? (
        <p className="muted">Showing the newest {auditLimit} events.</p>
      ) : null}
    </div>
  );
}
