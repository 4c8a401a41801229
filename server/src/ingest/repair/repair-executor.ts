import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { Loop } from '../../lib/loop.ts';
import type { SiteLocks } from '../worker/site-locks.ts';
import { ControlPlaneUnavailable } from './control-plane-client.ts';
import type { RepairClient } from './control-plane-client.ts';
import {
  countOpenRepairs,
  openRepairs,
  setRepairState,
  storeClaimedRepairs,
} from './repair-store.ts';
import type { RepairTask } from './repair-store.ts';

/** Tasks claimed per request (the control plane's maximum). */
const claimBatch = 100;
/** Claimed but unfinished tasks kept locally before claiming more. */
const maxBacklog = 2_000;

export type RepairExecutorOptions = {
  db: Db;
  client: RepairClient;
  instanceId: string;
  concurrency: number;
  pollMs: number;
  locks: SiteLocks;
  /** The repair progress outbox (repairProgressOutbox). */
  progress: Loop;
  clock: Clock;
  logger: Logger;
  runTask: (task: RepairTask) => Promise<void>;
  /**
   * Why a task may not run yet, or undefined when it may: a replay needs the pin the site has
   * now, and a claim can arrive before this process has read the revert that preceded it.
   * `waitsAtMost`: after that long waiting (since the task was stored) it fails with the reason.
   */
  blockedBy: (task: RepairTask) => { reason: string; waitsAtMost?: number } | undefined;
  /** A site's repair ended: its queued imports may be processed again. */
  onTaskEnded: () => void;
};

/**
 * Runs the repairs the control plane asks for (pull model): every `pollMs` it claims tasks and
 * stores them in `ingest_repair_tasks`, then runs the unfinished ones, `concurrency` at a time,
 * one site at a time per site. Progress goes out through the outbox. With the control plane
 * down, claimed tasks still run to the end and their progress waits in the outbox; after a crash
 * the unfinished ones run again from the start.
 */
export class RepairExecutor {
  readonly #o: RepairExecutorOptions;
  readonly #poller: Loop;
  readonly #scheduler: Loop;
  readonly #running = new Map<string, Promise<void>>();
  #unreachable = false;

  constructor(options: RepairExecutorOptions) {
    this.#o = options;
    this.#poller = new Loop({
      run: () => this.#poll(),
      onError: (err) => options.logger.warn({ err }, 'repair executor: poll failed'),
    });
    this.#scheduler = new Loop({
      run: () => this.#schedule(),
      onError: (err) => options.logger.error({ err }, 'repair executor: scheduling failed'),
    });
  }

  start(): void {
    this.#scheduler.start();
    this.#poller.start(this.#o.pollMs);
    void this.#poller.kick();
  }

  /** Runs unfinished tasks now if it can (the pins have just become known, say). */
  wake(): void {
    void this.#scheduler.kick();
  }

  /** Claims now (tests and a just-started process do not wait for the timer). */
  poll(): Promise<void> {
    return this.#poller.kick();
  }

  async stop(): Promise<void> {
    await this.#poller.stop();
    await this.#scheduler.stop();
    while (this.#running.size > 0) await Promise.all(this.#running.values());
  }

  async #poll(): Promise<void> {
    const { db, client, logger } = this.#o;
    try {
      for (;;) {
        const backlog = await countOpenRepairs(db);
        if (backlog >= maxBacklog) break;
        const tasks = await client.claim({
          instanceId: this.#o.instanceId,
          max: Math.min(claimBatch, maxBacklog - backlog),
        });
        await storeClaimedRepairs(db, { tasks, now: this.#o.clock.now() });
        if (tasks.length > 0) {
          logger.info({ tasks: tasks.length }, 'repairs claimed');
          void this.#scheduler.kick();
          void this.#o.progress.kick();
        }
        if (tasks.length < claimBatch || this.#poller.stopped) break;
      }
      this.#unreachable = false;
    } catch (err) {
      if (!(err instanceof ControlPlaneUnavailable)) throw err;
      if (!this.#unreachable) logger.warn({ err: err.message }, 'cannot claim repairs; will retry');
      this.#unreachable = true;
    }
    // Tasks left unfinished by a crash, or claimed while the control plane was reachable.
    await this.#scheduler.kick();
  }

  async #schedule(): Promise<void> {
    // Sites whose task cannot run yet, skipped so the tasks behind them still get a worker.
    const waiting: string[] = [];
    for (;;) {
      const free = this.#o.concurrency - this.#running.size;
      if (free <= 0 || this.#scheduler.stopped) return;
      const tasks = await openRepairs(this.#o.db, {
        busySites: [...this.#running.keys(), ...waiting],
        limit: free,
      });
      if (tasks.length === 0) return;
      for (const task of tasks) {
        const blocked = this.#o.blockedBy(task);
        if (blocked) {
          waiting.push(task.siteKey);
          await this.#failIfWaitedTooLong(task, blocked);
          continue;
        }
        const run = this.#run(task).finally(() => {
          this.#running.delete(task.siteKey);
          this.#o.onTaskEnded();
          void this.#scheduler.kick();
        });
        this.#running.set(task.siteKey, run);
      }
    }
  }

  async #failIfWaitedTooLong(
    task: RepairTask,
    blocked: { reason: string; waitsAtMost?: number },
  ): Promise<void> {
    if (blocked.waitsAtMost === undefined) return;
    const waited = this.#o.clock.now().getTime() - task.updatedAt.getTime();
    if (waited < blocked.waitsAtMost) return;
    await setRepairState(this.#o.db, { task, state: 'failed', reason: blocked.reason });
    void this.#o.progress.kick();
  }

  async #run(task: RepairTask): Promise<void> {
    const { locks, logger } = this.#o;
    await locks.acquire(task.siteKey);
    try {
      await this.#o.runTask(task);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      logger.error({ repair: task.repairId, site: task.siteKey, err }, 'site repair failed');
      await setRepairState(this.#o.db, { task, state: 'failed', reason }).catch((again: unknown) =>
        logger.error({ err: again }, 'could not record a failed repair'),
      );
    } finally {
      locks.release(task.siteKey);
      void this.#o.progress.kick();
    }
  }
}
