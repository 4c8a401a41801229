import type { ReactNode } from 'react';
import { ErrorMessage } from '@/components/error-message';
import type { Cohort, Rollout, Version } from '@/lib/api-types';
import type { SitesSource } from '../plan-draft';
import { usePlanForm } from '../use-plan-form';
import styles from './plan-form.module.css';
import { PlanHow } from './plan-how';
import { PlanSites } from './plan-sites';
import { PlanWhat } from './plan-what';

/**
 * Plans a rollout: which version, which sites (a selector or a saved cohort, previewed live by
 * `preview`), in which stages, with which bake, checks and revert policy. The server resolves
 * the sites once and freezes them; its refusals are shown beside the fields they concern.
 */
export function PlanRolloutForm({
  versions,
  cohorts,
  preview,
  disabledReason,
  onPlanned,
}: {
  versions: Version[] | undefined;
  cohorts: Cohort[] | undefined;
  /** Shows what the chosen sites resolve to now. */
  preview: (source: SitesSource) => ReactNode;
  disabledReason?: string;
  onPlanned: (rollout: Rollout) => void;
}) {
  const { draft, set, errors, submit, pending, refusal } = usePlanForm({ onPlanned });
  const disabled = Boolean(disabledReason) || pending;

  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-label="Plan rollout">
      <fieldset className={styles.fieldset} disabled={disabled}>
        <PlanWhat
          versions={versions}
          targetVersion={draft.targetVersion}
          description={draft.description}
          errors={errors}
          onChange={set}
        />
        <PlanSites
          cohorts={cohorts}
          preview={preview}
          source={draft.source}
          selector={draft.selector}
          cohortId={draft.cohortId}
          errors={errors}
          onChange={set}
        />
        <PlanHow
          stages={draft.stages}
          minBakeSeconds={draft.minBakeSeconds}
          minImportsPerSite={draft.minImportsPerSite}
          checksEnabled={draft.checksEnabled}
          revertAutomatically={draft.revertAutomatically}
          pauseSites={draft.pauseSites}
          errors={errors}
          onChange={set}
        />
      </fieldset>
      {refusal ? <ErrorMessage title="The rollout was not planned" error={refusal} /> : null}
      <div className={styles.submit}>
        <button type="submit" className="button button-primary" disabled={disabled}>
          {pending ? 'Planning…' : 'Plan rollout'}
        </button>
        <span className="muted">
          {disabledReason ?? 'Nothing changes until the plan is started.'}
        </span>
      </div>
    </form>
  );
}
