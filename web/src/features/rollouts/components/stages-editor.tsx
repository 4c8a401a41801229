import { describedBy, FieldError } from '@/components/field-error';
import type { StageDraft } from '../plan-draft';
import form from './plan-form.module.css';
import styles from './stages-editor.module.css';

/**
 * The stages as an editable list. Only the first stage may be a number of canary sites; the
 * others are cumulative percentages, and the last must be 100% (the server says so if not).
 */
export function StagesEditor({
  stages,
  errors,
  onChange,
}: {
  stages: StageDraft[];
  errors: Record<string, string>;
  onChange: (stages: StageDraft[]) => void;
}) {
  const update = (i: number, change: Partial<StageDraft>) =>
    onChange(stages.map((s, j) => (j === i ? { ...s, ...change } : s)));

  return (
    <fieldset className="stack">
      <legend className={form.legend}>Stages</legend>
      <ol className={styles.list}>
        {stages.map((stage, i) => {
          const error = errors[`stages.${i}`];
          const id = `stage-${i}`;
          return (
            <li key={i}>
              <div className={styles.inputs}>
                <label htmlFor={`${id}-value`} className={styles.label}>
                  Stage {i + 1}
                </label>
                <input
                  id={`${id}-value`}
                  className={form.narrow}
                  inputMode="decimal"
                  value={stage.value}
                  onChange={(e) => update(i, { value: e.target.value })}
                  {...describedBy(error, `${id}-error`)}
                />
                {i === 0 ? (
                  <select
                    aria-label="Stage 1 unit"
                    value={stage.kind}
                    onChange={(e) => update(i, { kind: e.target.value as StageDraft['kind'] })}
                  >
                    <option value="count">canary sites</option>
                    <option value="percent">% of the sites</option>
                  </select>
                ) : (
                  <span className="muted">% of the sites, in all</span>
                )}
                <button
                  type="button"
                  className="button button-ghost"
                  aria-label={`Remove stage ${i + 1}`}
                  onClick={() => onChange(stages.filter((_, j) => j !== i))}
                  disabled={stages.length === 1}
                >
                  Remove
                </button>
              </div>
              <FieldError id={`${id}-error`} message={error} />
            </li>
          );
        })}
      </ol>
      <FieldError id="stages-error" message={errors.stages} />
      <div>
        <button
          type="button"
          className="button"
          onClick={() => onChange([...stages, { kind: 'percent', value: '100' }])}
          disabled={stages.length >= 20}
        >
          Add stage
        </button>
      </div>
    </fieldset>
  );
}
