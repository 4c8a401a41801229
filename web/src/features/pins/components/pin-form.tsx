import { useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorMessage } from '@/components/error-message';
import { describedBy, FieldError } from '@/components/field-error';
import { ApiError } from '@/lib/api-client';
import type { Version } from '@/lib/api-types';
import { useSetPin } from '../api/set-pin';

type Problems = { version?: string; reason?: string };

function optionLabel(version: Version, current: string): string {
  const notes = [
    version.name === current ? 'current' : null,
    version.isDefault ? 'default' : null,
    version.status !== 'active' ? version.status : null,
  ].filter(Boolean);
  return notes.length > 0 ? `${version.name} (${notes.join(', ')})` : version.name;
}

/**
 * Changes one site's pin. It sends the pin on screen as `expectedVersion`, so the server refuses
 * the change (409) if someone else moved the pin since this page loaded.
 */
export function PinForm({
  siteKey,
  currentVersion,
  versions,
  disabledReason,
}: {
  siteKey: string;
  currentVersion: string;
  versions: Version[] | undefined;
  /** Set when the signed-in role may not change pins. */
  disabledReason?: string;
}) {
  const [version, setVersion] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [done, setDone] = useState<string | null>(null);
  const setPin = useSetPin();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Problems = {};
    if (!version) found.version = 'Choose the version to pin this site to.';
    if (!reason.trim()) found.reason = 'Give a reason: it is kept in the pin history.';
    setProblems(found);
    setDone(null);
    if (found.version || found.reason) return;
    setPin.mutate(
      { siteKey, version, reason: reason.trim(), expectedVersion: currentVersion },
      {
        onSuccess: (result) => {
          setDone(
            result.changed
              ? `Pinned to ${result.site.pinnedVersion} (was ${currentVersion}).`
              : `Already pinned to ${result.site.pinnedVersion}; nothing changed.`,
          );
          setVersion('');
          setReason('');
        },
        // The pin moved under us: the choice was made against a pin that no longer holds, so
        // it has to be made again (the reason is kept, it is usually still right).
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'pin_changed') setVersion('');
        },
      },
    );
  }

  const stale = setPin.error instanceof ApiError && setPin.error.code === 'pin_changed';

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Change pin">
      <p>
        Currently pinned to <strong className="mono">{currentVersion}</strong>.
      </p>
      <fieldset className="stack" disabled={Boolean(disabledReason) || setPin.isPending}>
        <div className="field">
          <label htmlFor="pin-version">New version</label>
          <select
            id="pin-version"
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            {...describedBy(problems.version, 'pin-version-error')}
          >
            <option value="">Choose a version…</option>
            {versions?.map((v) => (
              <option
                key={v.name}
                value={v.name}
                disabled={v.status === 'retired' || v.name === currentVersion}
              >
                {optionLabel(v, currentVersion)}
              </option>
            ))}
          </select>
          <FieldError id="pin-version-error" message={problems.version} />
        </div>
        <div className="field">
          <label htmlFor="pin-reason">Reason</label>
          <textarea
            id="pin-reason"
            rows={2}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="Why, and a ticket if there is one"
            {...describedBy(problems.reason, 'pin-reason-error')}
          />
          <FieldError id="pin-reason-error" message={problems.reason} />
        </div>
        <div>
          <button type="submit" className="button button-primary">
            {setPin.isPending ? 'Changing pin…' : 'Change pin'}
          </button>
        </div>
      </fieldset>
      {disabledReason ? <p className="muted">{disabledReason}</p> : null}
      {setPin.error ? (
        <ErrorMessage
          title={stale ? 'The pin changed since you loaded this page' : 'The pin was not changed'}
          error={setPin.error}
        />
      ) : null}
      {stale ? (
        <p className="muted">The page now shows the current pin. Check it, then decide again.</p>
      ) : null}
      {done ? (
        <p role="status" className="alert alert-success">
          {done}
        </p>
      ) : null}
    </form>
  );
}
