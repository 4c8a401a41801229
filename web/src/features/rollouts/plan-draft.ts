// The plan form's state as typed (strings), what it sends, and where the server's complaints go.
import { ApiError } from '@/lib/api-client';
import type { ErrorDetail } from '@/lib/api-client';
import { formatNumber } from '@/lib/format';
import type { PlanRolloutBody } from './api/plan-rollout';

export type StageDraft = { kind: 'count' | 'percent'; value: string };

/** Where the plan takes its sites from, as far as the draft says yet. */
export type SitesSource = { kind: 'selector'; selector: string } | { kind: 'cohort'; id: number };

export type PlanDraft = {
  targetVersion: string;
  source: 'selector' | 'cohort';
  selector: string;
  cohortId: string;
  description: string;
  stages: StageDraft[];
  minBakeSeconds: string;
  minImportsPerSite: string;
  checksEnabled: boolean;
  revertAutomatically: boolean;
  pauseSites: boolean;
};

/** The server's defaults: two canary sites, then 10%, 50% and everyone; a 10-minute bake. */
export const initialDraft: PlanDraft = {
  targetVersion: '',
  source: 'selector',
  selector: '',
  cohortId: '',
  description: '',
  stages: [
    { kind: 'count', value: '2' },
    { kind: 'percent', value: '10' },
    { kind: 'percent', value: '50' },
    { kind: 'percent', value: '100' },
  ],
  minBakeSeconds: '600',
  minImportsPerSite: '1',
  checksEnabled: true,
  revertAutomatically: true,
  pauseSites: false,
};

/** The sites the draft names, to preview; null until a selector or a cohort is given. */
export function sitesSource(
  draft: Pick<PlanDraft, 'source' | 'selector' | 'cohortId'>,
): SitesSource | null {
  if (draft.source === 'cohort')
    return draft.cohortId ? { kind: 'cohort', id: Number(draft.cohortId) } : null;
  const selector = draft.selector.trim();
  return selector ? { kind: 'selector', selector } : null;
}

/** Field names the form shows errors beside; `stages.<i>` is one stage row. */
export type FieldErrors = Record<string, string>;

const isNumber = (value: string) => value.trim() !== '' && Number.isFinite(Number(value));

/** Checks only what the server cannot read at all; its own rules come back by field. */
export function toPlanBody(draft: PlanDraft): { body?: PlanRolloutBody; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!draft.targetVersion) errors.targetVersion = 'Choose the version to roll out.';
  if (draft.source === 'selector' && !draft.selector.trim())
    errors.selector = 'Write a selector, e.g. tier=enterprise,region in (eu).';
  if (draft.source === 'cohort' && !draft.cohortId) errors.cohortId = 'Choose a saved cohort.';
  if (draft.stages.length === 0) errors.stages = 'Give at least one stage.';
  draft.stages.forEach((stage, i) => {
    if (!isNumber(stage.value)) errors[`stages.${i}`] = 'Enter a number.';
  });
  if (!isNumber(draft.minBakeSeconds)) errors['bake.minBakeSeconds'] = 'Enter a number of seconds.';
  if (!isNumber(draft.minImportsPerSite)) errors['bake.minImportsPerSite'] = 'Enter a number.';
  if (Object.keys(errors).length > 0) return { errors };

  return {
    errors,
    body: {
      targetVersion: draft.targetVersion,
      ...(draft.source === 'selector'
        ? { selector: draft.selector.trim() }
        : { cohortId: Number(draft.cohortId) }),
      description: draft.description.trim(),
      stages: draft.stages.map((s) =>
        s.kind === 'count' ? { count: Number(s.value) } : { percent: Number(s.value) },
      ),
      bake: {
        minBakeSeconds: Number(draft.minBakeSeconds),
        minImportsPerSite: Number(draft.minImportsPerSite),
      },
      checks: { enabled: draft.checksEnabled },
      revertPolicy: { automatic: draft.revertAutomatically, pauseSites: draft.pauseSites },
    },
  };
}

/** Which form field a server detail path (`body.stages.1.percent`, `selector`, …) is about. */
function fieldOf(path: string | undefined, source: PlanDraft['source']): string | undefined {
  const sites = source === 'selector' ? 'selector' : 'cohortId';
  const p = (path ?? '').replace(/^body\.?/, '');
  // "nothing to roll out" (path `body`) and sites claimed by another rollout are about the sites.
  if (p === '' || p === 'sites' || p === 'siteKeys' || p === 'selector' || p === 'cohortId')
    return path === undefined ? undefined : sites;
  if (p === 'targetVersion' || p === 'description') return p;
  const stage = /^stages\.(\d+)/.exec(p);
  if (stage) return `stages.${stage[1]}`;
  if (p === 'stages') return 'stages';
  if (p === 'bake.minBakeSeconds' || p === 'bake.minImportsPerSite') return p;
  return undefined;
}

/** Splits a refusal into messages beside their fields and what belongs to no field. */
export function serverFieldErrors(
  error: unknown,
  source: PlanDraft['source'],
): { fields: FieldErrors; rest: ErrorDetail[] } {
  const fields: FieldErrors = {};
  const more: Record<string, number> = {};
  const rest: ErrorDetail[] = [];
  if (!(error instanceof ApiError)) return { fields, rest };
  for (const detail of error.details) {
    const field = fieldOf(detail.path, source);
    if (!field) rest.push(detail);
    else if (!fields[field]) fields[field] = detail.message;
    else more[field] = (more[field] ?? 0) + 1;
  }
  // One line per field, but not one site of many: "s-013 is in r-3 (and 12 more)".
  for (const [field, n] of Object.entries(more)) fields[field] += ` (and ${formatNumber(n)} more)`;
  return { fields, rest };
}
