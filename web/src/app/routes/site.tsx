import { Link, useLocation, useParams } from 'react-router';
import { Badge } from '@/components/badge';
import { ErrorMessage } from '@/components/error-message';
import { Loading } from '@/components/loading';
import { Section } from '@/components/section';
import { paths } from '@/config/paths';
import { useMe } from '@/features/auth/api/get-me';
import { ImportsTable } from '@/features/imports/components/imports-table';
import { PinForm } from '@/features/pins/components/pin-form';
import { PinHistory } from '@/features/pins/components/pin-history';
import { useSite } from '@/features/sites/api/get-site';
import { PauseControl } from '@/features/sites/components/pause-control';
import { SiteSummary } from '@/features/sites/components/site-summary';
import { useVersions } from '@/features/versions/api/get-versions';
import { ApiError } from '@/lib/api-client';
import { hasRole } from '@/lib/authorization';

export function SiteRoute() {
  const key = useParams().key!;
  const site = useSite(key);
  const versions = useVersions();
  const role = useMe().data?.role;
  const listSearch = (useLocation().state as { listSearch?: string } | null)?.listSearch;

  const back = (
    <p className="breadcrumb">
      <Link to={paths.sites.getHref(listSearch?.replace(/^\?/, ''))}>← Sites</Link>
    </p>
  );

  if (site.isPending) return <Loading label="Loading site…" />;
  if (site.isError) {
    const missing = site.error instanceof ApiError && site.error.status === 404;
    return (
      <>
        {back}
        <ErrorMessage
          title={missing ? 'Site not found' : 'Could not load the site'}
          error={site.error}
        />
      </>
    );
  }

  const s = site.data;
  return (
    <>
      {back}
      <div className="page-header">
        <h1>{s.name}</h1>
        <span className="mono muted">{s.key}</span>
        {s.paused ? <Badge tone="warning">Paused</Badge> : null}
      </div>
      <div className="grid">
        <Section title="Site">
          <SiteSummary site={s} />
        </Section>
        <Section title="Change pin">
          <PinForm
            siteKey={s.key}
            currentVersion={s.pinnedVersion}
            versions={versions.data}
            disabledReason={
              role && !hasRole(role, 'release')
                ? `Changing pins needs the release role; you are signed in as ${role}.`
                : undefined
            }
          />
        </Section>
        <Section title={s.paused ? 'Resume' : 'Pause'}>
          <PauseControl site={s} allowed={!role || hasRole(role, 'operator')} />
        </Section>
      </div>
      <Section title="Pin history">
        <PinHistory siteKey={s.key} />
      </Section>
      <Section title="Recent imports">
        <ImportsTable siteKey={s.key} />
      </Section>
    </>
  );
}
