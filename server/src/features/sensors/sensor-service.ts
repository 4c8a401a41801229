import type { Db } from '../../db/database.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Clock } from '../../lib/clock.ts';
import { ConflictError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import { Loop } from '../../lib/loop.ts';
import { enqueueNotification } from '../notifications/notification-store.ts';
import { blindness, judgeSensor, lateness } from './sensor-health.ts';
import type { JudgedSensor, SensorLimits } from './sensor-health.ts';
import {
  findSensors,
  forgetSensors,
  lockSensor,
  saveHeartbeat,
  setAnnounced,
} from './sensor-store.ts';
import type { Heartbeat } from './sensor-store.ts';

export type SensorService = ReturnType<typeof createSensorService>;

/** Instances not heard from for this long leave the list. */
const forgetAfterMs = 7 * 24 * 3600 * 1000;

/** What is announced for each state a sensor can be in, as far as rollouts are concerned. */
const announcedFor = (j: JudgedSensor) =>
  j.holdsRollouts ? 'lagging' : j.state === 'gone' ? 'gone' : 'ok';

/**
 * Sensor health: each ingestion instance's heartbeat says how late its import reports are; the
 * control plane keeps the last one per instance, judges them on its own clock, holds rollouts
 * while any live instance is late (ADR 14), and announces each change by webhook, once.
 */
export function createSensorService(deps: {
  db: Db;
  clock: Clock;
  limits: SensorLimits;
  logger: Logger;
  /** After an announcement was queued: the webhook sender may send it now. */
  announced?: () => void;
}) {
  const { db, clock, limits } = deps;
  // Announces changes on a timer too: an instance that falls silent sends nothing.
  const loop = new Loop({
    run: async () => {
      await reconcile();
      await forgetSensors(db, new Date(clock.now().getTime() - forgetAfterMs));
    },
    onError: (err) => deps.logger.warn({ err }, 'sensor announcements'),
  });

  const judgeAll = async (tx: Tx) => {
    const now = clock.now();
    return (await findSensors(tx)).map((s) => judgeSensor(s, { now, limits }));
  };

  /**
   * Announces every sensor whose state changed since its last announcement, once: each is
   * judged again with its row locked, so replicas (and a heartbeat arriving meanwhile) agree.
   */
  async function reconcile(): Promise<void> {
    let queued = 0;
    for (const seen of await judgeAll(db)) {
      if (announcedFor(seen) === seen.sensor.announced) continue;
      await db.$transaction(async (tx) => {
        const sensor = await lockSensor(tx, seen.sensor.instanceId);
        if (!sensor) return;
        const j = judgeSensor(sensor, { now: clock.now(), limits });
        const [from, to] = [sensor.announced, announcedFor(j)];
        if (from === to) return;
        await setAnnounced(tx, { instanceId: sensor.instanceId, announced: to });
        // Coming back, or leaving after a goodbye, is not news; holding rollouts, and letting go, is.
        if (from !== 'lagging' && to !== 'lagging') return;
        await enqueueNotification(tx, announcement(j, to));
        queued++;
      });
    }
    if (queued > 0) deps.announced?.();
  }

  function announcement(j: JudgedSensor, to: string) {
    const id = j.sensor.instanceId;
    const details = {
      instanceId: id,
      state: j.state,
      lagSeconds: j.lagSeconds,
      silentSeconds: j.silentSeconds,
      unreported: j.sensor.unreported,
      queued: j.sensor.queued,
      limitSeconds: limits.maxLagSeconds,
    };
    if (to === 'lagging') {
      return {
        event: 'sensors.lagging' as const,
        text: `:warning: Import reports are late: ${lateness(j)}, over the ${limits.maxLagSeconds} s limit. Rollouts do not start or advance until they arrive.`,
        details,
      };
    }
    if (to === 'gone') {
      return {
        event: 'sensors.gone' as const,
        text: `:ghost: Ingestion instance ${id} has not been heard from for ${j.silentSeconds} s and is considered gone; it no longer holds rollouts.`,
        details,
      };
    }
    return {
      event: 'sensors.recovered' as const,
      text: `:white_check_mark: Ingestion instance ${id} is reporting in time again; it no longer holds rollouts.`,
      details,
    };
  }

  /** The sentence that holds rollouts now, or undefined. */
  async function holding(tx: Tx = db): Promise<string | undefined> {
    return blindness({ judged: await judgeAll(tx), limits });
  }

  return {
    limits,
    holding,
    reconcile,

    /** Keeps a heartbeat and answers with how the control plane judges the instance now. */
    async heartbeat(beat: Heartbeat) {
      const sensor = await saveHeartbeat(db, { beat, heardAt: clock.now() });
      await reconcile().catch((err: unknown) => deps.logger.warn({ err }, 'sensor announcements'));
      return judgeSensor(sensor, { now: clock.now(), limits });
    },

    async list() {
      const judged = await judgeAll(db);
      return { judged, holding: blindness({ judged, limits }) };
    },

    /** Refuses a forward move of a rollout (start, advance) while reports are late. */
    async assertSeeing(tx: Tx, refused: string): Promise<void> {
      const judged = await judgeAll(tx);
      const sentence = blindness({ judged, limits });
      if (!sentence) return;
      throw new ConflictError(
        `${refused}: ${sentence}`,
        judged
          .filter((j) => j.holdsRollouts)
          .map((j) => ({ path: `sensors.${j.sensor.instanceId}`, message: lateness(j) })),
        'sensors_lagging',
      );
    },

    /** Announces changes every `intervalMs` too. */
    start: (intervalMs: number) => loop.start(intervalMs),
    stop: () => loop.stop(),
  };
}
