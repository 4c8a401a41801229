import { Link, Navigate, NavLink, Outlet, ScrollRestoration, useLocation } from 'react-router';
import { ErrorMessage } from '@/components/error-message';
import { paths } from '@/config/paths';
import { useMe } from '@/features/auth/api/get-me';
import { UserMenu } from '@/features/auth/components/user-menu';
import { useSessionToken } from '@/lib/use-session-token';
import styles from './app-root.module.css';

/** The signed-in shell: header, and the page below. Without a token it sends you to sign in. */
export function AppRoot() {
  const token = useSessionToken();
  const location = useLocation();
  if (!token) {
    return <Navigate to={paths.signIn.getHref(location.pathname + location.search)} replace />;
  }
  return <Shell />;
}

function Shell() {
  const me = useMe();
  return (
    <div>
      <header className={styles.topbar}>
        <Link to={paths.sites.getHref()} className={styles.brand}>
          Pinion
        </Link>
        <nav aria-label="Main" className={styles.nav}>
          <NavLink to={paths.sites.getHref()}>Sites</NavLink>
          <NavLink to={paths.rollouts.getHref()}>Rollouts</NavLink>
          <NavLink to={paths.sensors.getHref()}>Sensors</NavLink>
        </nav>
        <UserMenu me={me.data} />
      </header>
      <main className="page">
        {me.isError ? <ErrorMessage title="Could not check your token" error={me.error} /> : null}
        <Outlet />
      </main>
      {/* A new page starts at its top (the plan form's button is far down); back and forward
          return to where you were. */}
      <ScrollRestoration />
    </div>
  );
}
