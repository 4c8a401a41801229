import { Link, useSearchParams } from 'react-router';
import { paths } from '@/config/paths';
import { useMe } from '@/features/auth/api/get-me';
import { RolloutStateFilter } from '@/features/rollouts/components/rollout-state-filter';
import { RolloutsTable } from '@/features/rollouts/components/rollouts-table';
import { searchFromStateFilter, stateFilterFromSearch } from '@/features/rollouts/rollout-filters';
import { hasRole } from '@/lib/authorization';

export function RolloutsRoute() {
  const [search, setSearch] = useSearchParams();
  const state = stateFilterFromSearch(search);
  const role = useMe().data?.role;

  return (
    <>
      <div className="page-header page-header-actions">
        <h1>Rollouts</h1>
        {hasRole(role, 'release') ? (
          <Link to={paths.newRollout.getHref()} className="button button-primary">
            Plan rollout
          </Link>
        ) : null}
      </div>
      <RolloutStateFilter value={state} onChange={(s) => setSearch(searchFromStateFilter(s))} />
      <RolloutsTable state={state} />
    </>
  );
}
