import { useState } from 'react';
import type { ReactNode } from 'react';
import { ReasonDialog } from '@/components/reason-dialog';
import type { Role, Rollout, RolloutState } from '@/lib/api-types';
import { plural } from '@/lib/format';
import { useAbortRollout } from '../api/abort-rollout';
import { useAdvanceRollout } from '../api/advance-rollout';
import { useApproveRollout } from '../api/approve-rollout';
import { useHaltRollout } from '../api/halt-rollout';
import { usePauseRollout } from '../api/pause-rollout';
import { useResumeRollout } from '../api/resume-rollout';
import { availableActions } from '../rollout-rules';
import type { RolloutAction } from '../rollout-rules';
import styles from './rollout-actions.module.css';

type ReasonAction = Extract<
  RolloutAction,
  'approve' | 'pause' | 'resume' | 'halt' | 'advance' | 'abort'
>;

const reasonActions: ReasonAction[] = ['approve', 'pause', 'resume', 'halt', 'advance', 'abort'];

/** What the last action did, shown while the rollout stays where the action found or left it. */
type Done = { message: string; states: RolloutState[] };

type Copy = {
  button: string;
  title: string;
  explain: ReactNode;
  done: string;
  tone: 'primary' | 'danger';
};

function copyFor(action: ReasonAction, r: Rollout): Copy {
  const last = r.currentStage >= r.stages.length;
  switch (action) {
    case 'approve':
      return {
        button: 'Approve',
        title: `Approve ${r.ref}`,
        explain: `This plan changes ${plural(r.targetCount, 'site')}, more than one person may start alone. Approving lets a release engineer start it; ${r.createdBy}, who planned it, cannot approve it.`,
        done: `${r.ref} approved: it can be started now.`,
        tone: 'primary',
      };
    case 'pause':
      return {
        button: 'Pause',
        title: `Pause ${r.ref}`,
        explain:
          'The engine stops moving this rollout where it is. Pins stay as they are; resuming continues from here.',
        done: `${r.ref} paused.`,
        tone: 'primary',
      };
    case 'resume':
      return {
        button: 'Resume',
        title: `Resume ${r.ref}`,
        explain: `The engine continues with stage ${r.currentStage} of ${r.stages.length}.`,
        done: `${r.ref} resumed.`,
        tone: 'primary',
      };
    case 'halt':
      return {
        button: 'Halt',
        title: `Halt ${r.ref}`,
        explain:
          'The rollout stops and keeps its pins until someone reverts it. Use Revert instead to put the sites back now.',
        done: `${r.ref} halted. Its pins stay until it is reverted.`,
        tone: 'danger',
      };
    case 'advance':
      return {
        button: last ? 'Complete' : `Advance to stage ${r.currentStage + 1}`,
        title: last ? `Complete ${r.ref}` : `Advance ${r.ref} to stage ${r.currentStage + 1}`,
        explain: `Passes stage ${r.currentStage} by hand, before its bake and checks are done${last ? ', and completes the rollout.' : '; the next stage starts applying at once.'}`,
        done: last ? `${r.ref} completed.` : `${r.ref} advanced.`,
        tone: 'primary',
      };
    case 'abort':
      return {
        button: 'Abort plan',
        title: `Abort ${r.ref}`,
        explain:
          'Drops this plan. No pin has changed yet; its sites become free for other rollouts.',
        done: `${r.ref} aborted.`,
        tone: 'danger',
      };
  }
}

/**
 * The buttons this role may press in this state, each asking for a reason in one dialog. A
 * refusal shows the server's message; the page then reloads the rollout to show where it is.
 */
export function RolloutActions({ rollout, role }: { rollout: Rollout; role: Role | undefined }) {
  const mutations = {
    approve: useApproveRollout(),
    pause: usePauseRollout(),
    resume: useResumeRollout(),
    halt: useHaltRollout(),
    advance: useAdvanceRollout(),
    abort: useAbortRollout(),
  };
  const [open, setOpen] = useState<ReasonAction | null>(null);
  const [done, setDone] = useState<Done | null>(null);

  const actions = availableActions(rollout, role).filter((a): a is ReasonAction =>
    (reasonActions as RolloutAction[]).includes(a),
  );
  // "Halted; its pins stay until it is reverted" must not linger beside a revert, nor any other
  // message once the rollout has moved on.
  const shown = done?.states.includes(rollout.state) ? done.message : null;
  if (actions.length === 0 && !shown) return null;

  const current = open ? mutations[open] : null;
  const copy = open ? copyFor(open, rollout) : null;

  return (
    <div className={styles.actions}>
      {actions.length > 0 ? (
        <div className="button-row" role="group" aria-label="Rollout actions">
          {actions.map((action) => {
            const c = copyFor(action, rollout);
            return (
              <button
                key={action}
                type="button"
                className={c.tone === 'danger' ? 'button button-danger' : 'button'}
                onClick={() => {
                  mutations[action].reset();
                  setDone(null);
                  setOpen(action);
                }}
              >
                {c.button}
              </button>
            );
          })}
        </div>
      ) : null}
      {shown ? (
        <p role="status" className="muted">
          {shown}
        </p>
      ) : null}
      {open && current && copy ? (
        <ReasonDialog
          title={copy.title}
          confirmLabel={copy.button}
          tone={copy.tone}
          error={current.error}
          onClose={() => setOpen(null)}
          onConfirm={(reason) =>
            current.mutateAsync({ id: rollout.id, reason }).then((answer) => {
              setOpen(null);
              setDone({ message: copy.done, states: [rollout.state, answer.state] });
            })
          }
        >
          <p>{copy.explain}</p>
        </ReasonDialog>
      ) : null}
    </div>
  );
}
