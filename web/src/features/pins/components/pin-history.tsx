import { ErrorMessage } from '@/components/error-message';
import { Loading } from '@/components/loading';
import { formatDateTime } from '@/lib/format';
import { usePinHistory } from '../api/get-pin-history';

export function PinHistory({ siteKey }: { siteKey: string }) {
  const history = usePinHistory(siteKey);
  if (history.isPending) return <Loading label="Loading pin history…" />;
  if (history.isError)
    return <ErrorMessage title="Could not load pin history" error={history.error} />;
  if (history.data.length === 0) return <p className="muted">No pin changes yet.</p>;

  return (
    <div className="table-scroll">
      <table className="table" aria-label="Pin history">
        <thead>
          <tr>
            <th scope="col">Change</th>
            <th scope="col">Actor</th>
            <th scope="col">Reason</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {history.data.map((event) => (
            <tr key={event.id}>
              <td className="mono nowrap">
                {event.fromVersion ?? '—'} → {event.toVersion}
              </td>
              <td>{event.actor}</td>
              <td className="reason">{event.reason}</td>
              <td className="nowrap">
                <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
