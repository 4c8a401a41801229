import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { safeRedirect } from '@/config/paths';
import { SignInForm } from '@/features/auth/components/sign-in-form';
import { session } from '@/lib/session';
import { useSessionToken } from '@/lib/use-session-token';
import styles from './sign-in.module.css';

export function SignInRoute() {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const token = useSessionToken();
  const redirectTo = safeRedirect(search.get('redirectTo'));

  if (token) return <Navigate to={redirectTo} replace />;

  return (
    <main className={styles.page}>
      <div className={`card ${styles.card}`}>
        <h1>Sign in to Pinion</h1>
        {session.lastEndReason() === 'rejected' ? (
          <p role="alert" className="alert alert-warning">
            The server no longer accepts your token. Sign in again.
          </p>
        ) : null}
        <SignInForm onSignedIn={() => navigate(redirectTo, { replace: true })} />
      </div>
    </main>
  );
}
