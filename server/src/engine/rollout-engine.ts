// The rollout engine: a loop of idempotent ticks. Each tick reads every moving rollout from the
// database and takes at most one step for it, in one transaction with the rollout row locked.
// Nothing is kept in memory between ticks, so a killed process loses nothing: the next engine
// (this process restarted, or another replica taking the lease) continues from the database.
import type { Db } from '../db/database.ts';
import type { Tx } from '../db/transaction.ts';
import { engineActor } from '../features/audit/audit-store.ts';
import type { RevisionWatcher } from '../features/client-api/revision-watcher.ts';
import { freezeAt } from '../features/freeze-windows/freeze-window-service.ts';
import { analyzeStage, policyOf } from '../features/analysis/analyze-stage.ts';
import { haltRollout } from '../features/rollouts/halt.ts';
import type { RevertPolicy } from '../features/rollouts/halt.ts';
import { revertRollout } from '../features/rollouts/revert.ts';
import type { Bake } from '../features/rollouts/rollout-schemas.ts';
import { lockRollout, sitesShortOfImports } from '../features/rollouts/rollout-store.ts';
import { applyStage, passStage } from '../features/rollouts/stage-steps.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { Loop } from '../lib/loop.ts';
import type { EngineLease } from './lease.ts';

export type StepResult =
  /** waiting: held before a forward move while import reports are late (sensor health). */
  'applied' | 'baking' | 'waiting' | 'passed' | 'completed' | 'halted' | 'reverted' | 'idle';

export type EngineDeps = {
  db: Db;
  clock: Clock;
  revisions: RevisionWatcher;
  lease: EngineLease;
  logger: Logger;
  tickMs: number;
  /** Why forward moves are held now (late import reports), or undefined. */
  sensors: { holding(tx: Tx): Promise<string | undefined> };
  /** Called after a step that queued an announcement (halt, revert, completion). */
  announced?: () => void;
};

export class RolloutEngine {
  readonly #deps: EngineDeps;
  readonly #loop: Loop;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
    this.#loop = new Loop({
      run: async () => {
        if (await deps.lease.acquire()) await this.tick();
      },
      onError: (err) => deps.logger.error({ err }, 'engine tick failed'),
    });
  }

  start(): void {
    this.#loop.start(this.#deps.tickMs);
    void this.kick();
  }

  /** Ticks now (coalescing with a tick already under way); nothing until `start()`. */
  kick(): Promise<void> {
    return this.#loop.kick();
  }

  /** One pass over every rollout that can move; returns what each did. */
  async tick(): Promise<Map<number, StepResult>> {
    const moving = await this.#deps.db.rollout.findMany({
      where: { state: { in: ['running', 'reverting'] } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    const results = new Map<number, StepResult>();
    for (const { id } of moving) results.set(id, await this.step(id));
    return results;
  }

  /** Takes the next step of one rollout, if it has one. */
  async step(id: number): Promise<StepResult> {
    const { db, clock, revisions } = this.#deps;
    const now = clock.now();
    const outcome = await db.$transaction(
      async (tx) => {
        const rollout = await lockRollout(tx, id);
        if (rollout.state === 'reverting') {
          const reverted = await revertRollout(tx, rollout, {
            now,
            actor: engineActor,
            reason: rollout.endReason ?? 'automatic revert',
          });
          return { result: 'reverted' as const, revision: reverted.revision };
        }
        if (rollout.state !== 'running') return { result: 'idle' as const, revision: null };
        // Late reports hold every forward move (apply, pass); a halt on data that did arrive
        // still happens, and missing data is then the sensors' fault, not the version's.
        const held = await this.#deps.sensors.holding(tx);
        const waiting = { result: 'waiting' as const, revision: null };
        if (rollout.phase === 'applying') {
          if (held) return waiting;
          const applied = await applyStage(tx, rollout, { now, actor: engineActor });
          return { result: 'applied' as const, revision: applied.revision };
        }
        const policy = policyOf(rollout);
        if (policy.enabled) {
          const analysis = await analyzeStage(tx, rollout, { now });
          if (analysis.decision === 'insufficient' && held) return waiting;
          if (analysis.decision === 'fail' || analysis.decision === 'insufficient') {
            const failed = analysis.decision === 'fail';
            const reasons = failed ? analysis.reasons.map((v) => v.message) : [analysis.why];
            const halted = await haltRollout(tx, rollout, {
              now,
              actor: engineActor,
              reason: failed ? reasons[0]! : `insufficient data: ${analysis.why}`,
              findings: reasons,
              // A regression is reverted at once (by default); missing data waits for a person.
              revert: failed && (rollout.revertPolicy as RevertPolicy).automatic,
            });
            return {
              result: halted.reverted ? ('reverted' as const) : ('halted' as const),
              revision: halted.revision,
            };
          }
          if (analysis.decision === 'wait') return { result: 'baking' as const, revision: null };
        }
        const bake = rollout.bake as Bake;
        const baked =
          now.getTime() - (rollout.stageStartedAt?.getTime() ?? now.getTime()) >=
          bake.minBakeSeconds * 1000;
        if (!baked) return { result: 'baking' as const, revision: null };
        const short = await sitesShortOfImports(tx, {
          rolloutId: id,
          stage: rollout.currentStage,
          version: rollout.targetVersion,
          minImports: bake.minImportsPerSite,
        });
        // A freeze holds a rollout where it is; it never moves it forward on its own.
        if (short > 0 || (await freezeAt(tx, now)))
          return { result: 'baking' as const, revision: null };
        if (held) return waiting;
        const passed = await passStage(tx, rollout, {
          now,
          actor: engineActor,
          reason: policy.enabled
            ? 'every canary check passed after the bake'
            : `stage baked ${bake.minBakeSeconds} s with at least ${bake.minImportsPerSite} import(s) per site`,
        });
        return {
          result: passed === 'completed' ? ('completed' as const) : ('passed' as const),
          revision: null,
        };
      },
      { timeout: 180_000, maxWait: 10_000 },
    );
    // A step's pins are served when it returns: callers (and tests) see what it did.
    if (outcome.revision) await revisions.committed(outcome.revision);
    if (['halted', 'reverted', 'completed'].includes(outcome.result)) this.#deps.announced?.();
    return outcome.result;
  }

  async stop(): Promise<void> {
    await this.#loop.stop();
    await this.#deps.lease.release();
  }
}
