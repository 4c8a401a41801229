import { ErrorMessage } from '@/components/error-message';
import type { CohortPreview } from '@/lib/api-types';
import { formatNumber, plural } from '@/lib/format';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useCohort } from '../api/get-cohort';
import { useCohortPreview } from '../api/preview-cohort';
import styles from './cohort-preview.module.css';

const debounceMs = 350;

function Resolved({ preview, busy }: { preview: CohortPreview; busy: boolean }) {
  return (
    <div
      className={styles.preview}
      role="status"
      aria-label="Sites preview"
      aria-busy={busy || undefined}
    >
      <p>
        <strong className={styles.count}>{plural(preview.count, 'site')}</strong>
        {preview.count > 0 ? (
          <>
            {' '}
            · fingerprint <span className="mono">{preview.fingerprint}</span>
          </>
        ) : null}
      </p>
      {preview.sample.length > 0 ? (
        <ul className="labels" aria-label="Sample of the sites">
          {preview.sample.map((key) => (
            <li key={key} className="label-chip">
              {key}
            </li>
          ))}
          {preview.count > preview.sample.length ? (
            <li className="muted">
              and {formatNumber(preview.count - preview.sample.length)} more
            </li>
          ) : null}
        </ul>
      ) : (
        <p className="muted">No site matches.</p>
      )}
    </div>
  );
}

/** What a selector matches right now, asked again once typing pauses. */
export function SelectorPreview({ selector }: { selector: string }) {
  const settled = useDebouncedValue(selector, debounceMs, '');
  const preview = useCohortPreview(settled);
  if (preview.isError)
    return <ErrorMessage title="Could not resolve this selector" error={preview.error} />;
  if (!preview.data) return <p className={`muted ${styles.preview}`}>Resolving…</p>;
  return <Resolved preview={preview.data} busy={preview.isFetching || settled !== selector} />;
}

/** What a saved cohort resolves to right now. */
export function SavedCohortPreview({ id }: { id: number }) {
  const cohort = useCohort(id);
  if (cohort.isError)
    return <ErrorMessage title="Could not resolve the cohort" error={cohort.error} />;
  if (!cohort.data) return <p className={`muted ${styles.preview}`}>Resolving…</p>;
  return <Resolved preview={cohort.data} busy={cohort.isFetching} />;
}
