import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorMessage } from '@/components/error-message';
import { Loading } from '@/components/loading';
import { Pager } from '@/components/pager';
import { paths } from '@/config/paths';
import type { TargetStatus } from '@/lib/api-types';
import { formatDateTime } from '@/lib/format';
import { targetsPageSize, useRolloutTargets } from '../api/get-rollout-targets';
import type { TargetFilters } from '../api/get-rollout-targets';
import { TargetStatusBadge, targetStatusLabel } from './stage-progress';
import styles from './targets-table.module.css';

const statuses: TargetStatus[] = [
  'pending',
  'applied',
  'skipped_changed',
  'reverted',
  'revert_conflict',
];

function When({ iso }: { iso: string | null }) {
  return iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : <span className="muted">—</span>;
}

/** The planned sites with their stage, pre-rollout pin and status; filtered and paged. */
export function TargetsTable({
  rolloutId,
  stageCount,
  live,
}: {
  rolloutId: number;
  stageCount: number;
  live: boolean;
}) {
  const [filters, setFilters] = useState<TargetFilters>({ status: '', stage: null, page: 1 });
  const targets = useRolloutTargets(rolloutId, filters, live);
  const show = (change: Partial<TargetFilters>) => setFilters({ ...filters, page: 1, ...change });

  const total = targets.data?.total ?? 0;

  return (
    <div className="stack">
      <form role="search" aria-label="Filter targets" className={styles.filters}>
        <div className="field">
          <label htmlFor="targets-status">Status</label>
          <select
            id="targets-status"
            value={filters.status}
            onChange={(e) => show({ status: e.target.value as TargetFilters['status'] })}
          >
            <option value="">Any status</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {targetStatusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="targets-stage">Stage</label>
          <select
            id="targets-stage"
            value={filters.stage ?? ''}
            onChange={(e) => show({ stage: e.target.value ? Number(e.target.value) : null })}
          >
            <option value="">Any stage</option>
            {Array.from({ length: stageCount }, (_, i) => (
              <option key={i + 1} value={i + 1}>
                Stage {i + 1}
              </option>
            ))}
          </select>
        </div>
      </form>
      {targets.isPending ? (
        <Loading label="Loading targets…" />
      ) : targets.isError ? (
        <ErrorMessage title="Could not load the targets" error={targets.error} />
      ) : (
        <div aria-busy={targets.isFetching || undefined}>
          <div className="table-scroll">
            <table className="table" aria-label="Targets">
              <thead>
                <tr>
                  <th scope="col">Site</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Was on</th>
                  <th scope="col">Status</th>
                  <th scope="col">Applied</th>
                  <th scope="col">Reverted</th>
                  <th scope="col">Found</th>
                </tr>
              </thead>
              <tbody>
                {targets.data.items.length === 0 ? (
                  <tr>
                    <td colSpan={7} className="table-empty">
                      No targets match these filters.
                    </td>
                  </tr>
                ) : (
                  targets.data.items.map((t) => (
                    <tr key={t.siteKey}>
                      <td>
                        <Link to={paths.site.getHref(t.siteKey)} className="mono">
                          {t.siteKey}
                        </Link>
                      </td>
                      <td>{t.stage}</td>
                      <td className="mono">{t.fromVersion}</td>
                      <td>
                        <TargetStatusBadge status={t.status} />
                      </td>
                      <td className="nowrap">
                        <When iso={t.appliedAt} />
                      </td>
                      <td className="nowrap">
                        <When iso={t.revertedAt} />
                      </td>
                      <td
                        className="mono"
                        title="the pin found where the rollout expected its own (someone changed it)"
                      >
                        {t.foundVersion ?? <span className="muted">—</span>}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pager
            label="Targets pages"
            noun="targets"
            page={filters.page}
            pageSize={targetsPageSize}
            shown={targets.data.items.length}
            total={total}
            onPageChange={(page) => setFilters({ ...filters, page })}
          />
        </div>
      )}
    </div>
  );
}
