import type { Db } from '../../db/database.ts';
import type { Logger } from '../../lib/logger.ts';
import { Loop } from '../../lib/loop.ts';
import { ControlPlaneUnavailable } from './control-plane-client.ts';
import type { RepairClient } from './control-plane-client.ts';
import { markRepairsReported, unreportedRepairs } from './repair-store.ts';

/**
 * Sends repair progress from `ingest_repair_tasks` (an outbox, like import reports): each task's
 * current state until the control plane acknowledges it. A task that moves faster than progress
 * is sent skips states, never goes back; the control plane applies forward moves only.
 */
export function repairProgressOutbox(deps: { db: Db; client: RepairClient; logger: Logger }): Loop {
  const { db, client, logger } = deps;
  // Logged once per outage: the timer retries every few seconds.
  let unreachable = false;
  const loop = new Loop({
    run: async () => {
      for (;;) {
        const updates = await unreportedRepairs(db, 500);
        if (updates.length === 0 || loop.stopped) return;
        try {
          await client.progress(updates);
        } catch (err) {
          if (!(err instanceof ControlPlaneUnavailable)) throw err;
          if (!unreachable)
            logger.warn(
              { updates: updates.length, err: err.message },
              'repair progress not delivered; will retry',
            );
          unreachable = true;
          return;
        }
        unreachable = false;
        await markRepairsReported(db, updates);
      }
    },
    onError: (err) => logger.warn({ err }, 'repair progress'),
  });
  return loop;
}
