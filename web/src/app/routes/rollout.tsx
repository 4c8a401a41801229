import { useState } from 'react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorMessage } from '@/components/error-message';
import { LiveNote } from '@/components/live-note';
import { Loading } from '@/components/loading';
import { Section } from '@/components/section';
import { paths } from '@/config/paths';
import { AuditTrail } from '@/features/audit/components/audit-trail';
import { useMe } from '@/features/auth/api/get-me';
import { RepairPanel } from '@/features/repairs/components/repair-panel';
import { useRollout } from '@/features/rollouts/api/get-rollout';
import type { RevertOutcome } from '@/features/rollouts/api/revert-rollout';
import { BlastRadius } from '@/features/rollouts/components/blast-radius';
import { CanaryAnalysis } from '@/features/rollouts/components/canary-analysis';
import { RevertControl, RevertResult } from '@/features/rollouts/components/revert-control';
import { RolloutActions } from '@/features/rollouts/components/rollout-actions';
import { RolloutHeader } from '@/features/rollouts/components/rollout-header';
import { StageProgress } from '@/features/rollouts/components/stage-progress';
import { StartPanel } from '@/features/rollouts/components/start-panel';
import { TargetsTable } from '@/features/rollouts/components/targets-table';
import { canDo, isMoving } from '@/features/rollouts/rollout-rules';
import { useFollowRollout } from '@/features/rollouts/use-follow-rollout';
import { ApiError } from '@/lib/api-client';
import { hasRole } from '@/lib/authorization';
import styles from './rollout.module.css';

function parseId(param: string | undefined): number | null {
  const match = /^(?:r-)?(\d{1,9})$/.exec(param ?? '');
  return match ? Number(match[1]) : null;
}

export function RolloutRoute() {
  const id = parseId(useParams().id);
  const back = (
    <p className="breadcrumb">
      <Link to={paths.rollouts.getHref()}>← Rollouts</Link>
    </p>
  );
  if (id === null) {
    return (
      <>
        {back}
        <ErrorMessage
          title="Rollout not found"
          error={new Error('use a rollout id such as 12 or r-12')}
        />
      </>
    );
  }
  return <RolloutPage id={id} back={back} />;
}

/** Built for the person on call: the state and its reason first, Revert one click away. */
function RolloutPage({ id, back }: { id: number; back: ReactNode }) {
  const rollout = useRollout(id);
  const role = useMe().data?.role;
  const [reverted, setReverted] = useState<RevertOutcome | null>(null);
  useFollowRollout(rollout.data);

  if (rollout.isPending) return <Loading label="Loading rollout…" />;
  if (rollout.isError) {
    const missing = rollout.error instanceof ApiError && rollout.error.status === 404;
    return (
      <>
        {back}
        <ErrorMessage
          title={missing ? 'Rollout not found' : 'Could not load the rollout'}
          error={rollout.error}
        />
      </>
    );
  }

  const r = rollout.data;
  const live = isMoving(r.state);
  const notStarted = r.state === 'planned' || r.state === 'awaiting_approval';

  return (
    <>
      {back}
      <RolloutHeader
        rollout={r}
        revert={
          canDo('revert', r, role) ? <RevertControl rollout={r} onReverted={setReverted} /> : null
        }
      />
      {reverted ? <RevertResult outcome={reverted} onDismiss={() => setReverted(null)} /> : null}
      <RolloutActions rollout={r} role={role} />

      {notStarted ? (
        <div className="grid grid-wide">
          <Section title="Blast radius">
            <BlastRadius rollout={r} />
          </Section>
          {canDo('start', r, role) ? (
            <Section title="Start">
              <StartPanel rollout={r} isAdmin={hasRole(role, 'admin')} />
            </Section>
          ) : r.state === 'awaiting_approval' ? (
            <Section title="Approval">
              <p>
                This plan changes more sites than one person may start alone. Another release
                engineer than {r.createdBy} must approve it before it can be started.
              </p>
            </Section>
          ) : null}
        </div>
      ) : null}

      <Section title="Stages" actions={live ? <LiveNote /> : undefined}>
        <StageProgress rollout={r} />
      </Section>

      {r.state === 'reverted' ? (
        <Section title="Repair">
          <RepairPanel rolloutId={r.id} rolloutRef={r.ref} allowed={hasRole(role, 'operator')} />
        </Section>
      ) : null}

      {!notStarted ? (
        <Section title="Canary analysis">
          <CanaryAnalysis rolloutId={r.id} live={live} enabled={r.checks.enabled} />
        </Section>
      ) : null}

      <Section title="Targets">
        <TargetsTable rolloutId={r.id} stageCount={r.stages.length} live={live} />
      </Section>

      {notStarted ? null : (
        <details className={`card ${styles.plan}`}>
          <summary>
            <h2>Blast radius</h2>
          </summary>
          <BlastRadius rollout={r} />
        </details>
      )}

      <Section title="Audit trail">
        <AuditTrail rolloutId={r.id} live={live} />
      </Section>
    </>
  );
}
