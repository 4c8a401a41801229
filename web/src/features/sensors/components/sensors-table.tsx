import { Badge } from '@/components/badge';
import type { BadgeTone } from '@/components/badge';
import { ErrorMessage } from '@/components/error-message';
import { Loading } from '@/components/loading';
import type { Sensor } from '@/lib/api-types';
import { formatDateTime, formatNumber, formatSeconds } from '@/lib/format';
import { useSensors } from '../api/get-sensors';

const tones: Record<Sensor['state'], BadgeTone> = {
  ok: 'success',
  lagging: 'danger',
  silent: 'danger',
  stopped: 'neutral',
  gone: 'neutral',
};

function When({ iso }: { iso: string | null }) {
  return iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : <span className="muted">—</span>;
}

/**
 * Whether the control plane can trust what it sees: first the sentence that holds rollouts (or
 * that reports are in time), then each ingestion instance's lag and backlog.
 */
export function SensorsTable() {
  const sensors = useSensors();
  if (sensors.isPending) return <Loading label="Loading sensors…" />;
  if (sensors.isError) return <ErrorMessage title="Could not load sensors" error={sensors.error} />;
  const { holding, limitSeconds, goneSeconds, items } = sensors.data;

  return (
    <>
      {holding ? (
        <div className="verdict verdict-warning" role="alert" aria-label="Rollouts held">
          <strong>Rollouts held:</strong> {holding}
        </div>
      ) : (
        <p className="verdict" role="status">
          Import reports are in time: no ingestion instance is more than{' '}
          {formatSeconds(limitSeconds)} behind.
        </p>
      )}
      <p className="muted">
        An instance holds every rollout while its oldest unsent report is older than{' '}
        {formatSeconds(limitSeconds)}, or while it has not been heard from for that long; after{' '}
        {formatSeconds(goneSeconds)} of silence it is considered gone.
      </p>
      {items.length === 0 ? (
        <p className="muted">No ingestion instance has reported yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="Ingestion instances">
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Lag
                </th>
                <th scope="col" className="num">
                  Unsent reports
                </th>
                <th scope="col" className="num">
                  Queued imports
                </th>
                <th scope="col">Last delivery</th>
                <th scope="col">Last heard</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.instanceId}>
                  <td className="mono">{s.instanceId}</td>
                  <td>
                    <Badge tone={tones[s.state]}>{s.state}</Badge>
                  </td>
                  <td className={s.holdsRollouts ? 'num text-danger' : 'num'}>
                    {formatSeconds(s.lagSeconds)}
                  </td>
                  <td className="num">{formatNumber(s.unreported)}</td>
                  <td className="num">{formatNumber(s.queued)}</td>
                  <td className="nowrap">
                    <When iso={s.lastDeliveredAt} />
                  </td>
                  <td className="nowrap">
                    <When iso={s.heardAt} /> ({formatSeconds(s.silentSeconds)} ago)
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
