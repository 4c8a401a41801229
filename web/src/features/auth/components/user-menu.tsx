import { Badge } from '@/components/badge';
import { signOut } from '../api/sign-in';
import type { Me } from '../api/get-me';
import styles from './user-menu.module.css';

export function UserMenu({ me }: { me: Me | undefined }) {
  return (
    <div className={styles.menu}>
      {me ? (
        <div role="group" aria-label="Signed in as">
          <span>{me.owner}</span>
          {me.name !== me.owner ? <span className="muted"> ({me.name})</span> : null}{' '}
          <Badge tone="info">{me.role}</Badge>
        </div>
      ) : null}
      <button type="button" className="button button-ghost" onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}
