import { useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorMessage } from '@/components/error-message';
import { ApiError } from '@/lib/api-client';
import { useSignIn } from '../api/sign-in';

function describe(error: Error): Error {
  if (error instanceof ApiError && error.status === 401) {
    return new Error('This token is not recognised. Check it, or ask an admin for a new one.');
  }
  return error;
}

export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [missing, setMissing] = useState(false);
  const signIn = useSignIn({ onSuccess: onSignedIn });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = token.trim();
    setMissing(value === '');
    if (value) signIn.mutate(value);
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Sign in">
      <div className="field">
        <label htmlFor="sign-in-token">API token</label>
        <input
          id="sign-in-token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={missing || undefined}
          aria-describedby="sign-in-token-hint"
        />
        <p id="sign-in-token-hint" className={missing ? 'field-error' : 'field-hint'}>
          {missing
            ? 'Paste your API token.'
            : 'Kept in this browser tab only, until you sign out or close it.'}
        </p>
      </div>
      {signIn.error ? <ErrorMessage error={describe(signIn.error)} /> : null}
      <button type="submit" className="button button-primary" disabled={signIn.isPending}>
        {signIn.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
