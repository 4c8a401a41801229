import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { ErrorMessage } from '@/components/error-message';
import { ApiError } from '@/lib/api-client';
import type { Cohort, Rollout, Version } from '@/lib/api-types';
import { plural } from '@/lib/format';
import { usePlanRollout } from '../api/plan-rollout';
import { initialDraft, serverFieldErrors, toPlanBody } from '../plan-draft';
import type { FieldErrors, PlanDraft } from '../plan-draft';
import { StagesEditor } from './stages-editor';

export type SitesSource = { kind: 'selector'; selector: string } | { kind: 'cohort'; id: number };

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error">
      {message}
    </p>
  ) : null;
}

const invalid = (message: string | undefined, id: string) =>
  message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};

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
  const [draft, setDraft] = useState<PlanDraft>(initialDraft);
  const [local, setLocal] = useState<FieldErrors>({});
  const plan = usePlanRollout();
  const set = (change: Partial<PlanDraft>) => setDraft((d) => ({ ...d, ...change }));

  const server = serverFieldErrors(plan.error, draft.source);
  const errors: FieldErrors = { ...server.fields, ...local };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { body, errors: found } = toPlanBody(draft);
    setLocal(found);
    plan.reset();
    if (body) plan.mutate(body, { onSuccess: onPlanned });
  }

  const source: SitesSource | null =
    draft.source === 'selector'
      ? draft.selector.trim()
        ? { kind: 'selector', selector: draft.selector.trim() }
        : null
      : draft.cohortId
        ? { kind: 'cohort', id: Number(draft.cohortId) }
        : null;

  return (
    <form className="plan-form" onSubmit={submit} noValidate aria-label="Plan rollout">
      <fieldset className="plan-fieldset" disabled={Boolean(disabledReason) || plan.isPending}>
        <section className="card stack" aria-labelledby="plan-what">
          <h2 id="plan-what">What</h2>
          <div className="field">
            <label htmlFor="plan-version">Target version</label>
            <select
              id="plan-version"
              value={draft.targetVersion}
              onChange={(e) => set({ targetVersion: e.target.value })}
              {...invalid(errors.targetVersion, 'plan-version-error')}
            >
              <option value="">Choose a version…</option>
              {versions?.map((v) => (
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
              value={draft.description}
              onChange={(e) => set({ description: e.target.value })}
              placeholder="What this rollout is for, and a ticket if there is one"
              {...invalid(errors.description, 'plan-description-error')}
            />
            <FieldError id="plan-description-error" message={errors.description} />
          </div>
        </section>

        <section className="card stack" aria-labelledby="plan-which">
          <h2 id="plan-which">Which sites</h2>
          <div className="radio-row" role="radiogroup" aria-label="Choose sites by">
            <label className="radio">
              <input
                type="radio"
                name="plan-source"
                checked={draft.source === 'selector'}
                onChange={() => set({ source: 'selector' })}
              />
              Match labels
            </label>
            <label className="radio">
              <input
                type="radio"
                name="plan-source"
                checked={draft.source === 'cohort'}
                onChange={() => set({ source: 'cohort' })}
              />
              Saved cohort
            </label>
          </div>
          {draft.source === 'selector' ? (
            <div className="field">
              <label htmlFor="plan-selector">Selector</label>
              <input
                id="plan-selector"
                className="mono"
                spellCheck={false}
                autoComplete="off"
                value={draft.selector}
                onChange={(e) => set({ selector: e.target.value })}
                placeholder="tier=enterprise,region in (eu,us),!beta"
                {...invalid(errors.selector, 'plan-selector-error')}
              />
              <FieldError id="plan-selector-error" message={errors.selector} />
            </div>
          ) : (
            <div className="field">
              <label htmlFor="plan-cohort">Cohort</label>
              <select
                id="plan-cohort"
                value={draft.cohortId}
                onChange={(e) => set({ cohortId: e.target.value })}
                {...invalid(errors.cohortId, 'plan-cohort-error')}
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
          {source ? preview(source) : null}
          <p className="field-hint">
            The plan takes these sites as they are now; sites already on the target version are left
            out, and no site can be added later.
          </p>
        </section>

        <section className="card stack" aria-labelledby="plan-how">
          <h2 id="plan-how">How</h2>
          <StagesEditor
            stages={draft.stages}
            errors={errors}
            onChange={(stages) => set({ stages })}
          />
          <fieldset className="stack">
            <legend className="legend">Bake</legend>
            <div className="field-row">
              <div className="field">
                <label htmlFor="plan-bake-seconds">Minimum bake (seconds)</label>
                <input
                  id="plan-bake-seconds"
                  className="input-narrow"
                  inputMode="numeric"
                  value={draft.minBakeSeconds}
                  onChange={(e) => set({ minBakeSeconds: e.target.value })}
                  {...invalid(errors['bake.minBakeSeconds'], 'plan-bake-seconds-error')}
                />
                <FieldError id="plan-bake-seconds-error" message={errors['bake.minBakeSeconds']} />
              </div>
              <div className="field">
                <label htmlFor="plan-bake-imports">Minimum imports per site</label>
                <input
                  id="plan-bake-imports"
                  className="input-narrow"
                  inputMode="numeric"
                  value={draft.minImportsPerSite}
                  onChange={(e) => set({ minImportsPerSite: e.target.value })}
                  {...invalid(errors['bake.minImportsPerSite'], 'plan-bake-imports-error')}
                />
                <FieldError
                  id="plan-bake-imports-error"
                  message={errors['bake.minImportsPerSite']}
                />
              </div>
            </div>
          </fieldset>
          <fieldset className="stack">
            <legend className="legend">Checks and revert</legend>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={draft.checksEnabled}
                onChange={(e) => set({ checksEnabled: e.target.checked })}
              />
              Canary analysis
              <span className="field-hint">
                compare each canary site's imports with its own baseline and with untouched sites
              </span>
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={draft.revertAutomatically}
                onChange={(e) => set({ revertAutomatically: e.target.checked })}
              />
              Revert automatically
              <span className="field-hint">when a check fails, halt and revert at once</span>
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={draft.pauseSites}
                onChange={(e) => set({ pauseSites: e.target.checked })}
              />
              Pause reverted sites
              <span className="field-hint">hold their imports until they are repaired</span>
            </label>
          </fieldset>
        </section>
      </fieldset>

      {plan.error ? (
        <ErrorMessage
          title="The rollout was not planned"
          error={
            plan.error instanceof ApiError
              ? new ApiError({ ...plan.error, message: plan.error.message, details: server.rest })
              : plan.error
          }
        />
      ) : null}
      <div className="plan-submit">
        <button
          type="submit"
          className="button button-primary"
          disabled={Boolean(disabledReason) || plan.isPending}
        >
          {plan.isPending ? 'Planning…' : 'Plan rollout'}
        </button>
        <span className="muted">
          {disabledReason ?? 'Nothing changes until the plan is started.'}
        </span>
      </div>
    </form>
  );
}
