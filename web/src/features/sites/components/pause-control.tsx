import { useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorMessage } from '@/components/error-message';
import { describedBy, FieldError } from '@/components/field-error';
import type { Site } from '@/lib/api-types';
import { usePauseSite } from '../api/pause-site';
import { useResumeSite } from '../api/resume-site';

const reasonMissing = 'Give a reason: it is kept in the audit log.';

/** Pause holds the site's imports in the ingestion API's journal; resume releases them. */
export function PauseControl({ site, allowed }: { site: Site; allowed: boolean }) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const pause = usePauseSite();
  const resume = useResumeSite();
  const mutation = site.paused ? resume : pause;
  const action = site.paused ? 'Resume site' : 'Pause site';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = reason.trim();
    setMissing(value === '');
    if (!value) return;
    mutation.mutate({ key: site.key, reason: value }, { onSuccess: () => setReason('') });
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={action}>
      <p className="muted">
        {site.paused
          ? 'Imports for this site are being held. Resuming processes them in order.'
          : 'Pausing holds new imports for this site until it is resumed; nothing is dropped.'}
      </p>
      <fieldset disabled={!allowed || mutation.isPending} className="stack">
        <div className="field">
          <label htmlFor="pause-reason">
            {site.paused ? 'Reason to resume' : 'Reason to pause'}
          </label>
          <input
            id="pause-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            {...describedBy(missing ? reasonMissing : undefined, 'pause-reason-error')}
          />
          <FieldError id="pause-reason-error" message={missing ? reasonMissing : undefined} />
        </div>
        <div>
          <button
            type="submit"
            className={site.paused ? 'button button-primary' : 'button button-danger'}
          >
            {mutation.isPending ? 'Saving…' : action}
          </button>
        </div>
      </fieldset>
      {!allowed ? <p className="muted">Pausing and resuming needs the operator role.</p> : null}
      {mutation.error ? <ErrorMessage error={mutation.error} /> : null}
    </form>
  );
}
