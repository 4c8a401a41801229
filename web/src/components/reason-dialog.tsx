import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Dialog, DialogActions } from './dialog';
import { ErrorMessage } from './error-message';
import { describedBy, FieldError } from './field-error';

const reasonMissing = 'Give a reason: it is kept in the audit log.';

/**
 * Asks for the one thing every change needs, a reason, and confirms with one click. The confirm
 * button stays disabled from the first click until the server answers, so a double click sends
 * one request. A refusal is shown in the server's words and the dialog stays open.
 */
export function ReasonDialog({
  title,
  children,
  confirmLabel,
  tone = 'primary',
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  tone?: 'primary' | 'danger';
  error: Error | null;
  /** Resolves (or rejects) when the server has answered. */
  onConfirm: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const value = reason.trim();
    setMissing(value === '');
    if (!value) return;
    setBusy(true);
    onConfirm(value)
      .catch(() => undefined)
      .finally(() => setBusy(false));
  }

  return (
    <Dialog title={title} onClose={() => (busy ? undefined : onClose())}>
      <form className="stack" onSubmit={submit} noValidate>
        {children}
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason</label>
          <textarea
            id={`${id}-reason`}
            rows={2}
            maxLength={1000}
            data-autofocus
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="What you saw, and a ticket if there is one"
            {...describedBy(missing ? reasonMissing : undefined, `${id}-reason-error`)}
          />
          <FieldError id={`${id}-reason-error`} message={missing ? reasonMissing : undefined} />
        </div>
        {error ? <ErrorMessage error={error} /> : null}
        <DialogActions>
          <button type="button" className="button button-ghost" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="submit"
            className={tone === 'danger' ? 'button button-danger-solid' : 'button button-primary'}
            disabled={busy}
          >
            {busy ? 'Sending…' : confirmLabel}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
