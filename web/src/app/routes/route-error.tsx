import { useRouteError } from 'react-router';
import { ErrorMessage } from '@/components/error-message';

/** Last resort for a render error: say what broke instead of showing a blank page. */
export function RouteError() {
  const error = useRouteError();
  return (
    <main className="page">
      <ErrorMessage title="This page failed to render" error={error} />
      <p>
        <a href="/">Reload the dashboard</a>
      </p>
    </main>
  );
}
