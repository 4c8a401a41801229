import { useSearchParams } from 'react-router';
import { SitesFilters } from '@/features/sites/components/sites-filters';
import { SitesTable } from '@/features/sites/components/sites-table';
import { filtersFromSearch, searchFromFilters } from '@/features/sites/site-filters';
import type { SiteFilters } from '@/features/sites/site-filters';
import { useVersions } from '@/features/versions/api/get-versions';

export function SitesRoute() {
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const versions = useVersions();
  const show = (next: SiteFilters) => setSearch(searchFromFilters(next));

  return (
    <>
      <div className="page-header">
        <h1>Sites</h1>
      </div>
      <SitesFilters
        key={search.toString()}
        filters={filters}
        versions={versions.data}
        onChange={show}
      />
      <SitesTable filters={filters} onPageChange={(page) => show({ ...filters, page })} />
    </>
  );
}
