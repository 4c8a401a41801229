import type { ReactNode } from 'react';
import styles from './badge.module.css';

export type BadgeTone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

const toneClass: Record<BadgeTone, string | undefined> = {
  neutral: undefined,
  info: styles.info,
  success: styles.success,
  warning: styles.warning,
  danger: styles.danger,
};

export function Badge({
  tone = 'neutral',
  className,
  children,
}: {
  tone?: BadgeTone;
  /** Where a page shows the badge differently (larger, aligned). */
  className?: string;
  children: ReactNode;
}) {
  const classes = [styles.badge, toneClass[tone], className].filter(Boolean).join(' ');
  return <span className={classes}>{children}</span>;
}
