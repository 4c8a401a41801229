import { memo } from 'react';
import type { ReactNode } from 'react';
import { describedBy, FieldError } from '@/components/field-error';
import type { Cohort } from '@/lib/api-types';
import { sitesSource } from '../plan-draft';
import type { FieldErrors, PlanDraft, SitesSource } from '../plan-draft';
import styles from './plan-form.module.css';

/** Which sites: a label selector or a saved cohort, with what it resolves to now. */
export const PlanSites = memo(function PlanSites(props: {
  cohorts: Cohort[] | undefined;
  preview: (source: SitesSource) => ReactNode;
  source: PlanDraft['source'];
  selector: string;
  cohortId: string;
  errors: FieldErrors;
  onChange: (change: Partial<PlanDraft>) => void;
}) {
  const { errors, onChange, cohorts } = props;
  const previewed = sitesSource(props);
  return (
    <section className={`card stack ${styles.section}`} aria-labelledby="plan-which">
      <h2 id="plan-which">Which sites</h2>
      <div className={styles.choices} role="radiogroup" aria-label="Choose sites by">
        <label className={styles.choice}>
          <input
            type="radio"
            name="plan-source"
            checked={props.source === 'selector'}
            onChange={() => onChange({ source: 'selector' })}
          />
          Match labels
        </label>
        <label className={styles.choice}>
          <input
            type="radio"
            name="plan-source"
            checked={props.source === 'cohort'}
            onChange={() => onChange({ source: 'cohort' })}
          />
          Saved cohort
        </label>
      </div>
      {props.source === 'selector' ? (
        <div className="field">
          <label htmlFor="plan-selector">Selector</label>
          <input
            id="plan-selector"
            className="mono"
            spellCheck={false}
            autoComplete="off"
            value={props.selector}
            onChange={(e) => onChange({ selector: e.target.value })}
            placeholder="tier=enterprise,region in (eu,us),!beta"
            {...describedBy(errors.selector, 'plan-selector-error')}
          />
          <FieldError id="plan-selector-error" message={errors.selector} />
        </div>
      ) : (
        <div className="field">
          <label htmlFor="plan-cohort">Cohort</label>
          <select
            id="plan-cohort"
            value={props.cohortId}
            onChange={(e) => onChange({ cohortId: e.target.value })}
            {...describedBy(errors.cohortId, 'plan-cohort-error')}
          >
            <option value="">
              {cohorts?.length === 0 ? 'No saved cohorts yet' : 'Choose a cohort…'}
            </option>
            {cohorts?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.selector ? ` — ${c.selector}` : ''}
              </option>
            ))}
          </select>
          <FieldError id="plan-cohort-error" message={errors.cohortId} />
        </div>
      )}
      {previewed ? props.preview(previewed) : null}
      <p className="field-hint">
        The plan takes these sites as they are now; sites already on the target version are left
        out, and no site can be added later.
      </p>
    </section>
  );
});
