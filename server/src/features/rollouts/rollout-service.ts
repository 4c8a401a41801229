import type { Db } from '../../db/database.ts';
import type { RolloutState, TargetStatus } from '../../db/generated/enums.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Actor } from '../../http/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, ConflictError, ForbiddenError } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit-store.ts';
import type { RevisionWatcher } from '../client-api/revision-watcher.ts';
import { freezeAt } from '../freeze-windows/freeze-window-service.ts';
import type { SensorService } from '../sensors/sensor-service.ts';
import type { VersionService } from '../versions/versions-service.ts';
import { haltRollout, pauseRevertedSites } from './halt.ts';
import { planRollout } from './plan-rollout.ts';
import { revertRollout } from './revert.ts';
import type { CreateRolloutBody } from './rollout-schemas.ts';
import { assertAllowed, rolloutRef } from './rollout-state.ts';
import type { RolloutAction } from './rollout-state.ts';
import {
  findRollouts,
  findTargets,
  lockRollout,
  progressOf,
  releaseSites,
  updateRollout,
} from './rollout-store.ts';
import type { RolloutRow } from './rollout-store.ts';
import { passStage } from './stage-steps.ts';

export type RolloutService = ReturnType<typeof createRolloutService>;
type Override = { reason: string } | undefined;

const pastTense: Record<RolloutAction, string> = {
  approve: 'approved',
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  advance: 'advanced',
  halt: 'halted',
  revert: 'reverted',
  abort: 'aborted',
  complete: 'completed',
};

export function createRolloutService(deps: {
  db: Db;
  versions: VersionService;
  revisions: RevisionWatcher;
  clock: Clock;
  approvalThreshold: number;
  /** Sensor health: forward moves wait while import reports are late. */
  sensors: Pick<SensorService, 'assertSeeing' | 'holding'>;
  /** Tells the engine to look now rather than on its next tick. */
  kick: () => void;
}) {
  const { db, clock } = deps;

  async function get(id: number) {
    const rollout = await db.rollout.findUnique({ where: { id } });
    if (!rollout)
      throw new AppError({
        status: 404,
        code: 'not_found',
        message: `rollout ${rolloutRef(id)} does not exist`,
      });
    // A running rollout shows why it does not move on, as the engine decides it each tick.
    const waiting = rollout.state === 'running' ? await deps.sensors.holding() : undefined;
    return { rollout, progress: await progressOf(db, id), waiting: waiting ?? null };
  }

  /** One action on one rollout: lock it, check the state machine, change it, audit it. */
  async function act(
    id: number,
    action: RolloutAction,
    options: { actor: Actor; reason?: string; after?: object },
    change: (tx: Tx, rollout: RolloutRow) => Promise<object | void>,
  ) {
    await db.$transaction(
      async (tx) => {
        const rollout = await lockRollout(tx, id);
        assertAllowed(action, rollout.state, id);
        const details = await change(tx, rollout);
        await appendAudit(tx, {
          actor: options.actor,
          rolloutId: id,
          action: `rollout.${pastTense[action]}`,
          subjectType: 'rollout',
          subjectId: String(id),
          reason: options.reason ?? null,
          before: { state: rollout.state, stage: rollout.currentStage + 1 },
          after: { ...(details ?? {}), ...options.after },
        });
      },
      { timeout: 180_000, maxWait: 10_000 },
    );
    deps.kick();
    return get(id);
  }

  /** Freeze windows stop starts and advances; an admin may override with a reason. */
  async function checkFreeze(tx: Tx, actor: Actor, override: Override) {
    const freeze = await freezeAt(tx, clock.now());
    if (!freeze) return undefined;
    if (!override) {
      throw new ConflictError(
        `rollouts are frozen until ${freeze.endsAt.toISOString()} (${freeze.name}: ${freeze.reason}); an admin may override with a reason`,
        [],
        'frozen',
      );
    }
    if (actor.role !== 'admin')
      throw new ForbiddenError(`only an admin may override freeze window '${freeze.name}'`);
    return { overrodeFreeze: freeze.name, overrideReason: override.reason };
  }

  const transition = (
    id: number,
    action: RolloutAction,
    to: RolloutState,
    actor: Actor,
    reason: string,
  ) =>
    act(id, action, { actor, reason }, async (tx) => {
      await updateRollout(tx, id, { state: to });
    });

  return {
    get,
    list: (states: RolloutState[] | undefined, limit: number) =>
      findRollouts(db, { states, limit }),
    targets: (filter: {
      rolloutId: number;
      status?: TargetStatus;
      stage?: number;
      limit: number;
      offset: number;
    }) => findTargets(db, filter),

    async plan(options: { body: CreateRolloutBody; actor: Actor }) {
      return get(await planRollout(deps, options));
    },

    approve: (id: number, actor: Actor, reason: string) =>
      act(id, 'approve', { actor, reason }, async (tx, rollout) => {
        if (rollout.createdBy === actor.owner) {
          throw new ForbiddenError(
            `${actor.owner} planned ${rolloutRef(id)} and cannot also approve it; ask another release engineer`,
          );
        }
        await updateRollout(tx, id, { state: 'planned', approvedBy: actor.owner });
      }),

    start: (
      id: number,
      options: {
        confirm: { count: number; fingerprint: string };
        override?: Override;
        actor: Actor;
      },
    ) =>
      act(id, 'start', { actor: options.actor }, async (tx, rollout) => {
        const { count, fingerprint } = options.confirm;
        if (count !== rollout.targetCount || fingerprint !== rollout.fingerprint) {
          throw new AppError({
            status: 422,
            code: 'confirmation_mismatch',
            message:
              `confirmation does not match plan ${rolloutRef(id)}: the plan changes ${rollout.targetCount} sites ` +
              `(fingerprint ${rollout.fingerprint}); you confirmed ${count} sites (fingerprint ${fingerprint}). Nothing was started.`,
            details: [
              {
                path: 'confirm',
                message: `expected count ${rollout.targetCount} and fingerprint ${rollout.fingerprint}`,
              },
            ],
          });
        }
        const overridden = await checkFreeze(tx, options.actor, options.override);
        await deps.sensors.assertSeeing(tx, `rollout ${rolloutRef(id)} was not started`);
        const now = clock.now();
        await updateRollout(tx, id, {
          state: 'running',
          currentStage: 0,
          phase: 'applying',
          startedAt: now,
          startedBy: options.actor.owner,
        });
        return { confirmed: { count, fingerprint }, ...overridden };
      }),

    pause: (id: number, actor: Actor, reason: string) =>
      transition(id, 'pause', 'paused', actor, reason),
    resume: (id: number, actor: Actor, reason: string) =>
      transition(id, 'resume', 'running', actor, reason),
    /** An operator stops the rollout where it is; pins stay until someone reverts. */
    async halt(id: number, actor: Actor, reason: string) {
      await db.$transaction(async (tx) => {
        const rollout = await lockRollout(tx, id);
        assertAllowed('halt', rollout.state, id);
        await haltRollout(tx, rollout, { now: clock.now(), actor, reason, revert: false });
      });
      return get(id);
    },

    /** Passes the current stage by hand (its bake need not be over). */
    advance: (id: number, options: { actor: Actor; reason: string; override?: Override }) =>
      act(id, 'advance', { actor: options.actor, reason: options.reason }, async (tx, rollout) => {
        if (rollout.phase !== 'baking') {
          throw new ConflictError(
            `rollout ${rolloutRef(id)} is still applying stage ${rollout.currentStage + 1}; advance it once it bakes`,
            [],
            'invalid_state',
          );
        }
        const overridden = await checkFreeze(tx, options.actor, options.override);
        await deps.sensors.assertSeeing(tx, `rollout ${rolloutRef(id)} was not advanced`);
        const result = await passStage(tx, rollout, {
          now: clock.now(),
          actor: options.actor,
          reason: options.reason,
        });
        return { result, ...overridden };
      }),

    abort: (id: number, actor: Actor, reason: string) =>
      act(id, 'abort', { actor, reason }, async (tx) => {
        await updateRollout(tx, id, { state: 'aborted', endedAt: clock.now(), endReason: reason });
        await releaseSites(tx, id);
      }),

    /** Idempotent: reverting a reverted rollout changes nothing and says so. */
    async revert(id: number, actor: Actor, reason: string) {
      const outcome = await db.$transaction(
        async (tx) => {
          const rollout = await lockRollout(tx, id);
          if (rollout.state === 'reverted') {
            const nothing = { reverted: 0, paused: [], conflicts: [], revision: null };
            return { alreadyReverted: true as const, ...nothing };
          }
          assertAllowed('revert', rollout.state, id);
          const reverted = await revertRollout(tx, rollout, { now: clock.now(), actor, reason });
          // The same policy as an automatic revert: on-call reverting by hand expects no less.
          const paused = await pauseRevertedSites(tx, rollout, { sites: reverted.sites, actor });
          return {
            alreadyReverted: false as const,
            ...reverted,
            paused: paused.changed,
            revision: paused.revision ?? reverted.revision,
          };
        },
        { timeout: 180_000, maxWait: 10_000 },
      );
      if (outcome.revision) await deps.revisions.committed(outcome.revision);
      return { ...outcome, ...(await get(id)) };
    },
  };
}
