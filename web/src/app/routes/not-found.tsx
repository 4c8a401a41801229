import { Link } from 'react-router';
import { paths } from '@/config/paths';
import styles from './not-found.module.css';

export function NotFoundRoute() {
  return (
    <div className={`card ${styles.card}`}>
      <h1>Page not found</h1>
      <p>
        <Link to={paths.sites.getHref()}>Go to the sites</Link>
      </p>
    </div>
  );
}
