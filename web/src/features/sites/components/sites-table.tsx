import { Link, useLocation } from 'react-router';
import { Badge } from '@/components/badge';
import { ErrorMessage } from '@/components/error-message';
import { Loading } from '@/components/loading';
import { Pager } from '@/components/pager';
import { paths } from '@/config/paths';
import { useSites } from '../api/get-sites';
import { pageSize } from '../site-filters';
import type { SiteFilters } from '../site-filters';
import { LabelList } from './label-list';

export function SitesTable({
  filters,
  onPageChange,
}: {
  filters: SiteFilters;
  onPageChange: (page: number) => void;
}) {
  const sites = useSites(filters);
  // The site page's back link returns to this exact view (filters and page).
  const listSearch = useLocation().search;

  if (sites.isPending) return <Loading label="Loading sites…" />;
  if (sites.isError) return <ErrorMessage title="Could not load sites" error={sites.error} />;

  const { items, total } = sites.data;

  return (
    <div className="card table-card" aria-busy={sites.isFetching || undefined}>
      <div className="table-scroll">
        <table className="table" aria-label="Sites">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Name</th>
              <th scope="col">Labels</th>
              <th scope="col">Pinned version</th>
              <th scope="col">Paused</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={5} className="table-empty">
                  {total === 0 ? (
                    'No sites match these filters.'
                  ) : (
                    <>
                      This page is past the last one.{' '}
                      <button type="button" className="link-button" onClick={() => onPageChange(1)}>
                        Go to the first page
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ) : (
              items.map((site) => (
                <tr key={site.key}>
                  <td>
                    <Link to={paths.site.getHref(site.key)} state={{ listSearch }} className="mono">
                      {site.key}
                    </Link>
                  </td>
                  <td>{site.name}</td>
                  <td>
                    <LabelList labels={site.labels} />
                  </td>
                  <td className="mono">{site.pinnedVersion}</td>
                  <td>{site.paused ? <Badge tone="warning">Paused</Badge> : 'No'}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pager
        label="Pagination"
        noun="sites"
        page={filters.page}
        pageSize={pageSize}
        shown={items.length}
        total={total}
        onPageChange={onPageChange}
      />
    </div>
  );
}
