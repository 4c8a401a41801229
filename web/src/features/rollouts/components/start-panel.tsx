import { useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorMessage } from '@/components/error-message';
import { describedBy, FieldError } from '@/components/field-error';
import type { Rollout } from '@/lib/api-types';
import { useStartRollout } from '../api/start-rollout';
import styles from './start-panel.module.css';

type Problems = { count?: string; fingerprint?: string };

/**
 * Starting a plan means typing its site count and fingerprint: the server compares them with the
 * plan and refuses a mismatch, so a rollout meant for one group cannot start on another.
 */
export function StartPanel({ rollout, isAdmin }: { rollout: Rollout; isAdmin: boolean }) {
  const [count, setCount] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [override, setOverride] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const start = useStartRollout();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Problems = {};
    const typedCount = count.trim();
    if (!/^\d+$/.test(typedCount)) found.count = 'Type the number of sites, e.g. 40.';
    if (!fingerprint.trim()) found.fingerprint = 'Type the fingerprint shown in the blast radius.';
    setProblems(found);
    if (found.count || found.fingerprint) return;
    start.mutate({
      id: rollout.id,
      confirm: { count: Number(typedCount), fingerprint: fingerprint.trim() },
      ...(isAdmin && override.trim() ? { override: { reason: override.trim() } } : {}),
    });
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Start rollout">
      <p>
        Check the blast radius, then type its site count and fingerprint to start. The server
        refuses anything that does not match the plan exactly.
      </p>
      <fieldset className={styles.fields} disabled={start.isPending}>
        <div className="field">
          <label htmlFor="start-count">Confirm site count</label>
          <input
            id="start-count"
            inputMode="numeric"
            autoComplete="off"
            value={count}
            onChange={(e) => setCount(e.target.value)}
            {...describedBy(problems.count, 'start-count-error')}
          />
          <FieldError id="start-count-error" message={problems.count} />
        </div>
        <div className="field">
          <label htmlFor="start-fingerprint">Confirm fingerprint</label>
          <input
            id="start-fingerprint"
            className="mono"
            autoComplete="off"
            spellCheck={false}
            value={fingerprint}
            onChange={(e) => setFingerprint(e.target.value)}
            {...describedBy(problems.fingerprint, 'start-fingerprint-error')}
          />
          <FieldError id="start-fingerprint-error" message={problems.fingerprint} />
        </div>
        {isAdmin ? (
          <div className={`field ${styles.wide}`}>
            <label htmlFor="start-override">Freeze override reason (admin)</label>
            <input
              id="start-override"
              value={override}
              maxLength={1000}
              onChange={(e) => setOverride(e.target.value)}
              aria-describedby="start-override-hint"
            />
            <p id="start-override-hint" className="field-hint">
              Only inside a freeze window: starts anyway, and the reason goes to the audit log.
              Leave empty otherwise.
            </p>
          </div>
        ) : null}
      </fieldset>
      <div>
        <button type="submit" className="button button-primary" disabled={start.isPending}>
          {start.isPending ? 'Starting…' : `Start ${rollout.ref}`}
        </button>
      </div>
      {start.error ? (
        <ErrorMessage title="The rollout was not started" error={start.error} />
      ) : null}
    </form>
  );
}
