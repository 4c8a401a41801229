import { memo } from 'react';
import { describedBy, FieldError } from '@/components/field-error';
import type { FieldErrors, PlanDraft, StageDraft } from '../plan-draft';
import styles from './plan-form.module.css';
import { StagesEditor } from './stages-editor';

type Change = (change: Partial<PlanDraft>) => void;

/** How the rollout moves: its stages, how long each bakes, and what a failed check does. */
export const PlanHow = memo(function PlanHow(props: {
  stages: StageDraft[];
  minBakeSeconds: string;
  minImportsPerSite: string;
  checksEnabled: boolean;
  revertAutomatically: boolean;
  pauseSites: boolean;
  errors: FieldErrors;
  onChange: Change;
}) {
  const { errors, onChange } = props;
  return (
    <section className={`card stack ${styles.section}`} aria-labelledby="plan-how">
      <h2 id="plan-how">How</h2>
      <StagesEditor
        stages={props.stages}
        errors={errors}
        onChange={(stages) => onChange({ stages })}
      />
      <fieldset className="stack">
        <legend className={styles.legend}>Bake</legend>
        <div className={styles.fieldRow}>
          <div className="field">
            <label htmlFor="plan-bake-seconds">Minimum bake (seconds)</label>
            <input
              id="plan-bake-seconds"
              className={styles.narrow}
              inputMode="numeric"
              value={props.minBakeSeconds}
              onChange={(e) => onChange({ minBakeSeconds: e.target.value })}
              {...describedBy(errors['bake.minBakeSeconds'], 'plan-bake-seconds-error')}
            />
            <FieldError id="plan-bake-seconds-error" message={errors['bake.minBakeSeconds']} />
          </div>
          <div className="field">
            <label htmlFor="plan-bake-imports">Minimum imports per site</label>
            <input
              id="plan-bake-imports"
              className={styles.narrow}
              inputMode="numeric"
              value={props.minImportsPerSite}
              onChange={(e) => onChange({ minImportsPerSite: e.target.value })}
              {...describedBy(errors['bake.minImportsPerSite'], 'plan-bake-imports-error')}
            />
            <FieldError id="plan-bake-imports-error" message={errors['bake.minImportsPerSite']} />
          </div>
        </div>
      </fieldset>
      <fieldset className="stack">
        <legend className={styles.legend}>Checks and revert</legend>
        <Choice
          label="Canary analysis"
          hint="compare each canary site's imports with its own baseline and with untouched sites"
          checked={props.checksEnabled}
          onChange={(checksEnabled) => onChange({ checksEnabled })}
        />
        <Choice
          label="Revert automatically"
          hint="when a check fails, halt and revert at once"
          checked={props.revertAutomatically}
          onChange={(revertAutomatically) => onChange({ revertAutomatically })}
        />
        <Choice
          label="Pause reverted sites"
          hint="hold their imports until they are repaired"
          checked={props.pauseSites}
          onChange={(pauseSites) => onChange({ pauseSites })}
        />
      </fieldset>
    </section>
  );
});

function Choice(props: {
  label: string;
  hint: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className={styles.choice}>
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      {props.label}
      <span className="field-hint">{props.hint}</span>
    </label>
  );
}
