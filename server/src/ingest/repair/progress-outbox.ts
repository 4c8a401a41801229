import type { Db } from '../../db/database.ts';
import type { Logger } from '../../lib/logger.ts';
import { Drainer } from '../drainer.ts';
import { ControlPlaneUnavailable } from './control-plane-client.ts';
import type { RepairClient } from './control-plane-client.ts';
import { markRepairsReported, unreportedRepairs } from './repair-store.ts';

/**
 * Sends repair progress from `ingest_repair_tasks` (an outbox, like import reports): each task's
 * current state until the control plane acknowledges it. A task that moves faster than progress
 * is sent skips states, never goes back; the control plane applies forward moves only.
 */
export class RepairProgressOutbox {
  readonly #deps: { db: Db; client: RepairClient; logger: Logger };
  readonly #drainer: Drainer;
  #unreachable = false;

  constructor(deps: { db: Db; client: RepairClient; logger: Logger }) {
    this.#deps = deps;
    this.#drainer = new Drainer({
      drain: () => this.#drain(),
      onError: (err) => deps.logger.warn({ err }, 'repair progress'),
    });
  }

  start(intervalMs: number): void {
    this.#drainer.start(intervalMs);
  }

  kick(): Promise<void> {
    return this.#drainer.kick();
  }

  stop(): Promise<void> {
    return this.#drainer.stop();
  }

  async #drain(): Promise<void> {
    const { db, client, logger } = this.#deps;
    for (;;) {
      const updates = await unreportedRepairs(db, 500);
      if (updates.length === 0 || this.#drainer.stopped) return;
      try {
        await client.progress(updates);
      } catch (err) {
        if (!(err instanceof ControlPlaneUnavailable)) throw err;
        // Logged once per outage: the timer retries every few seconds.
        if (!this.#unreachable)
          logger.warn(
            { updates: updates.length, err: err.message },
            'repair progress not delivered; will retry',
          );
        this.#unreachable = true;
        return;
      }
      this.#unreachable = false;
      await markRepairsReported(db, updates);
    }
  }
}
