import { ErrorMessage } from '@/components/error-message';
import { Loading } from '@/components/loading';
import { formatDateTime, formatDuration, formatNumber } from '@/lib/format';
import { useSiteImports } from '../api/get-site-imports';

export function ImportsTable({ siteKey }: { siteKey: string }) {
  const imports = useSiteImports(siteKey);
  if (imports.isPending) return <Loading label="Loading imports…" />;
  if (imports.isError) return <ErrorMessage title="Could not load imports" error={imports.error} />;
  if (imports.data.length === 0) {
    return <p className="muted">No imports reported for this site yet.</p>;
  }

  return (
    <div className="table-scroll">
      <table className="table" aria-label="Recent imports">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col" className="num">
              Received
            </th>
            <th scope="col" className="num">
              Imported
            </th>
            <th scope="col" className="num">
              Rejected
            </th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col">Completed</th>
          </tr>
        </thead>
        <tbody>
          {imports.data.map((report) => (
            <tr key={report.importId}>
              <td className="mono">{report.version}</td>
              <td className="num">{formatNumber(report.received)}</td>
              <td className="num">{formatNumber(report.imported)}</td>
              <td className={report.rejected > 0 ? 'num text-danger' : 'num'}>
                {formatNumber(report.rejected)}
              </td>
              <td className="num">{formatDuration(report.durationMs)}</td>
              <td className="nowrap">
                <time dateTime={report.completedAt}>{formatDateTime(report.completedAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
