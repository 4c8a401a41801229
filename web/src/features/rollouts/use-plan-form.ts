import { useCallback, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '@/lib/api-client';
import type { Rollout } from '@/lib/api-types';
import { usePlanRollout } from './api/plan-rollout';
import { initialDraft, serverFieldErrors, toPlanBody } from './plan-draft';
import type { FieldErrors, PlanDraft } from './plan-draft';

/**
 * The plan form's state: the draft as typed, the errors beside each field (what the form found
 * before sending, then what the server refused), and the refusal that belongs to no field.
 * `set` and `errors` keep their identity while typing, so untouched sections do not re-render.
 */
export function usePlanForm(options: { onPlanned: (rollout: Rollout) => void }) {
  const [draft, setDraft] = useState<PlanDraft>(initialDraft);
  const [local, setLocal] = useState<FieldErrors>({});
  const plan = usePlanRollout();

  const set = useCallback(
    (change: Partial<PlanDraft>) => setDraft((d) => ({ ...d, ...change })),
    [],
  );
  const server = useMemo(
    () => serverFieldErrors(plan.error, draft.source),
    [plan.error, draft.source],
  );
  const errors = useMemo<FieldErrors>(() => ({ ...server.fields, ...local }), [server, local]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { body, errors: found } = toPlanBody(draft);
    setLocal(found);
    plan.reset();
    if (body) plan.mutate(body, { onSuccess: options.onPlanned });
  }

  // What is shown beside a field is not repeated in the message above the button.
  const refusal =
    plan.error instanceof ApiError
      ? new ApiError({ ...plan.error, message: plan.error.message, details: server.rest })
      : plan.error;

  return { draft, set, errors, submit, pending: plan.isPending, refusal };
}
