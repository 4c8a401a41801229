import { liveRefreshNote } from '@/lib/live-refresh';
import styles from './live-note.module.css';

/** Says that the section follows the server on its own. */
export function LiveNote() {
  return <span className={`muted ${styles.live}`}>{liveRefreshNote}</span>;
}
