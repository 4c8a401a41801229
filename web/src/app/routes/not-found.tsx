import { Link } from 'react-router';
import { paths } from '@/config/paths';

export function NotFoundRoute() {
  return (
    <div className="card empty-page">
      <h1>Page not found</h1>
      <p>
        <Link to={paths.sites.getHref()}>Go to the sites</Link>
      </p>
    </div>
  );
}
