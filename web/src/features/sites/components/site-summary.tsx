import { Badge } from '@/components/badge';
import type { Site } from '@/lib/api-types';
import { formatDateTime } from '@/lib/format';
import { LabelList } from './label-list';
import styles from './site-summary.module.css';

export function SiteSummary({ site }: { site: Site }) {
  return (
    <dl className={styles.summary}>
      <div>
        <dt id="site-key-term">Key</dt>
        <dd className="mono" aria-labelledby="site-key-term">
          {site.key}
        </dd>
      </div>
      <div>
        <dt id="site-pin-term">Pinned version</dt>
        <dd className={`mono ${styles.pin}`} aria-labelledby="site-pin-term">
          {site.pinnedVersion}
        </dd>
      </div>
      <div>
        <dt id="site-paused-term">State</dt>
        <dd aria-labelledby="site-paused-term">
          {site.paused ? (
            <Badge tone="warning">Paused</Badge>
          ) : (
            <Badge tone="success">Active</Badge>
          )}
        </dd>
      </div>
      <div>
        <dt>Labels</dt>
        <dd>
          <LabelList labels={site.labels} />
        </dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>
          <time dateTime={site.createdAt}>{formatDateTime(site.createdAt)}</time>
        </dd>
      </div>
      <div>
        <dt>Updated</dt>
        <dd>
          <time dateTime={site.updatedAt}>{formatDateTime(site.updatedAt)}</time>
        </dd>
      </div>
    </dl>
  );
}
