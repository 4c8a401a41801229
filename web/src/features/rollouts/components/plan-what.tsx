import { memo } from 'react';
import { describedBy, FieldError } from '@/components/field-error';
import type { Version } from '@/lib/api-types';
import { plural } from '@/lib/format';
import type { FieldErrors, PlanDraft } from '../plan-draft';
import styles from './plan-form.module.css';

/** The plan's target version and what it is for. */
export const PlanWhat = memo(function PlanWhat(props: {
  versions: Version[] | undefined;
  targetVersion: string;
  description: string;
  errors: FieldErrors;
  onChange: (change: Partial<PlanDraft>) => void;
}) {
  const { errors, onChange } = props;
  return (
    <section className={`card stack ${styles.section}`} aria-labelledby="plan-what">
      <h2 id="plan-what">What</h2>
      <div className="field">
        <label htmlFor="plan-version">Target version</label>
        <select
          id="plan-version"
          value={props.targetVersion}
          onChange={(e) => onChange({ targetVersion: e.target.value })}
          {...describedBy(errors.targetVersion, 'plan-version-error')}
        >
          <option value="">Choose a version…</option>
          {props.versions?.map((v) => (
            <option key={v.name} value={v.name} disabled={v.status === 'retired'}>
              {v.name}
              {v.status === 'retired' ? ' (retired)' : v.isDefault ? ' (default)' : ''} —{' '}
              {plural(v.siteCount, 'site')}
            </option>
          ))}
        </select>
        <FieldError id="plan-version-error" message={errors.targetVersion} />
      </div>
      <div className="field">
        <label htmlFor="plan-description">Description</label>
        <textarea
          id="plan-description"
          rows={2}
          maxLength={1000}
          value={props.description}
          onChange={(e) => onChange({ description: e.target.value })}
          placeholder="What this rollout is for, and a ticket if there is one"
          {...describedBy(errors.description, 'plan-description-error')}
        />
        <FieldError id="plan-description-error" message={errors.description} />
      </div>
    </section>
  );
});
