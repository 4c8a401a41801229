import { Badge } from '@/components/badge';
import type { BadgeTone } from '@/components/badge';
import type { Rollout, TargetStatus } from '@/lib/api-types';
import { formatDateTime, formatNumber, formatSeconds, plural } from '@/lib/format';
import { stageRule } from './blast-radius';
import styles from './stage-progress.module.css';

type StageStatus = { label: string; tone: BadgeTone };

/** Where each stage stands, from the rollout's state and its current stage (1-based). */
export function stageStatus(rollout: Rollout, stage: number): StageStatus {
  const { state, currentStage, phase } = rollout;
  if (state === 'completed') return { label: 'passed', tone: 'success' };
  if (currentStage === 0 || stage > currentStage) {
    return { label: state === 'aborted' ? 'not run' : 'waiting', tone: 'neutral' };
  }
  if (stage < currentStage) {
    return state === 'reverted' || state === 'reverting'
      ? { label: 'passed, reverted', tone: 'neutral' }
      : { label: 'passed', tone: 'success' };
  }
  switch (state) {
    case 'running':
      return { label: phase ?? 'running', tone: 'info' };
    case 'paused':
      return { label: 'paused here', tone: 'warning' };
    case 'halted':
      return { label: 'halted here', tone: 'danger' };
    default:
      return { label: `${state} here`, tone: 'danger' };
  }
}

const statusTone: Record<TargetStatus, BadgeTone> = {
  pending: 'neutral',
  applied: 'info',
  skipped_changed: 'warning',
  reverted: 'danger',
  revert_conflict: 'danger',
};

const statusOrder: TargetStatus[] = [
  'pending',
  'applied',
  'skipped_changed',
  'reverted',
  'revert_conflict',
];

export function targetStatusLabel(status: string): string {
  return status.replace('_', ' ');
}

export function TargetStatusBadge({ status }: { status: TargetStatus }) {
  return <Badge tone={statusTone[status]}>{targetStatusLabel(status)}</Badge>;
}

/** The rules a stage passes by, and what a failed check does, in one or two sentences. */
export function passRules(r: Rollout): string {
  const bake = `A stage passes after at least ${formatSeconds(r.bake.minBakeSeconds)} and ${plural(r.bake.minImportsPerSite, 'import')} per site`;
  if (!r.checks.enabled) return `${bake}; canary analysis is off for this rollout.`;
  const onFail = r.revertPolicy.automatic
    ? 'halts the rollout and reverts it at once'
    : 'halts the rollout for a person to decide';
  const pause = r.revertPolicy.pauseSites
    ? ', and pauses the reverted sites until they are repaired'
    : '';
  return `${bake}, when every canary check passes. A failed check ${onFail}${pause}.`;
}

/** Every stage with its size and state, then the sites by status and the rules a stage passes by. */
export function StageProgress({ rollout }: { rollout: Rollout }) {
  const r = rollout;
  const counts = statusOrder
    .map((status) => [status, r.progress[status] ?? 0] as const)
    .filter(([, n]) => n > 0);
  const ended = ['halted', 'reverting', 'reverted', 'completed', 'aborted'].includes(r.state);
  return (
    <div className="stack">
      <ol className={styles.stages} aria-label="Stages">
        {r.stages.map((stage, i) => {
          const n = i + 1;
          const status = stageStatus(r, n);
          const current = n === r.currentStage && r.state !== 'completed';
          return (
            <li
              key={n}
              className={current ? `${styles.stage} ${styles.current}` : styles.stage}
              aria-current={current ? 'step' : undefined}
            >
              <span className={styles.name}>Stage {n}</span>
              <span>
                {plural(r.summary.stageSizes[i] ?? 0, 'site')}{' '}
                <span className="muted">({stageRule(stage)})</span>
              </span>
              <Badge tone={status.tone}>{status.label}</Badge>
              {current && r.stageStartedAt && r.phase === 'baking' ? (
                <span className={`muted ${styles.since}`}>
                  since <time dateTime={r.stageStartedAt}>{formatDateTime(r.stageStartedAt)}</time>
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
      <div className="progress-counts" role="group" aria-label="Sites by status">
        {counts.length === 0 ? (
          <span className="muted">No site has been touched yet.</span>
        ) : (
          counts.map(([status, n]) => (
            <span key={status} className="progress-count">
              <TargetStatusBadge status={status} />
              {status === 'pending' && ended ? <span className="muted">never reached</span> : null}
              <span>{formatNumber(n)}</span>
            </span>
          ))
        )}
      </div>
      <p className="muted">{passRules(r)}</p>
    </div>
  );
}
