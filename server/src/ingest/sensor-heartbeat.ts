import type { Db } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { Loop } from '../lib/loop.ts';
import { settle } from './control-plane/control-plane-api.ts';
import type { ControlPlaneApi } from './control-plane/control-plane-api.ts';
import { reportingBacklog } from './journal/journal-store.ts';

/** How late this instance's import reports are, as `/readyz` shows it and the heartbeat says it. */
export type ReportingHealth = {
  /** Age of the oldest processed import whose report is not acknowledged; 0 when none. */
  lagSeconds: number;
  unreported: number;
  oldestUnreportedAt: string | null;
  queued: number;
  oldestQueuedAt: string | null;
  lastDeliveredAt: string | null;
  measuredAt: string;
  /** The control plane's verdict on the last heartbeat it acknowledged (null: none yet). */
  controlPlane: {
    state: string;
    holdsRollouts: boolean;
    limitSeconds: number;
    answeredAt: string;
  } | null;
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Tells the control plane every `intervalMs` how late this instance's import reports are (its
 * sensor health, ADR 14): a loop of its own, so heartbeats go on while reports are refused or
 * stuck — that is when they matter. On a graceful stop the last heartbeat says goodbye, so a
 * decommissioned instance with nothing left to report does not hold rollouts while it falls silent.
 */
export function sensorHeartbeat(deps: {
  db: Db;
  api: ControlPlaneApi;
  instanceId: string;
  clock: Clock;
  logger: Logger;
}) {
  let last: ReportingHealth | undefined;
  const loop = new Loop({
    run: () => beat({ stopping: false, timeoutMs: 10_000 }),
    onError: (err) => deps.logger.warn({ err }, 'sensor heartbeat'),
  });

  async function measure(): Promise<ReportingHealth> {
    const backlog = await reportingBacklog(deps.db);
    const now = deps.clock.now();
    const oldest = backlog.oldestUnreportedAt;
    return {
      lagSeconds: oldest ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 1000)) : 0,
      unreported: backlog.unreported,
      oldestUnreportedAt: iso(oldest),
      queued: backlog.queued,
      oldestQueuedAt: iso(backlog.oldestQueuedAt),
      lastDeliveredAt: iso(backlog.lastDeliveredAt),
      measuredAt: now.toISOString(),
      controlPlane: last?.controlPlane ?? null,
    };
  }

  async function beat(options: { stopping: boolean; timeoutMs: number }): Promise<void> {
    const health = await measure();
    last = health;
    const { measuredAt: _, controlPlane: __, ...numbers } = health;
    const answer = await settle(
      deps.api.POST('/api/v1/sensors/heartbeat', {
        body: { instanceId: deps.instanceId, ...numbers, stopping: options.stopping },
        signal: AbortSignal.timeout(options.timeoutMs),
      }),
    );
    if (!answer.ok) throw new Error(`heartbeat not delivered: ${answer.error}`);
    const body = answer.data;
    health.controlPlane = {
      state: body.sensor.state,
      holdsRollouts: body.sensor.holdsRollouts,
      limitSeconds: body.limitSeconds,
      answeredAt: deps.clock.now().toISOString(),
    };
  }

  return {
    start(intervalMs: number): void {
      loop.start(intervalMs);
      void loop.kick();
    },
    /** Measures and sends now (coalesced with a heartbeat under way). */
    kick: () => loop.kick(),
    /** What the last heartbeat measured, for `/readyz`. */
    health: (): ReportingHealth | undefined => last,
    /** Stops beating and says goodbye, briefly: a control plane that is away must not delay a stop. */
    async stop(): Promise<void> {
      await loop.stop();
      await beat({ stopping: true, timeoutMs: 2_000 }).catch((err: unknown) =>
        deps.logger.warn({ err }, 'sensor heartbeat: goodbye not delivered'),
      );
    },
  };
}

export type SensorHeartbeat = ReturnType<typeof sensorHeartbeat>;
