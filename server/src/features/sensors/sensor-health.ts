// The rules of sensor health (docs/adr/0014-sensor-health.md), as pure functions of what each
// ingestion instance last said and of the control plane's clock.
import type { Sensor } from '../../db/generated/client.ts';

export type SensorLimits = {
  /** Reports older than this are late; an instance silent for longer is treated the same way. */
  maxLagSeconds: number;
  /** An instance silent for longer than this is gone: it no longer holds rollouts. */
  goneSeconds: number;
};

/**
 * ok: reporting in time. lagging: its oldest unreported import is older than the limit. silent:
 * no heartbeat for longer than the limit. stopped: it said goodbye with nothing left to report.
 * gone: silent for longer than `goneSeconds`.
 */
export type SensorState = 'ok' | 'lagging' | 'silent' | 'stopped' | 'gone';

export type JudgedSensor = {
  sensor: Sensor;
  state: SensorState;
  /** Its oldest unreported import's age now: what it said, plus the time since it said it. */
  lagSeconds: number;
  silentSeconds: number;
  /** While true, no rollout starts or advances. */
  holdsRollouts: boolean;
};

export function judgeSensor(
  sensor: Sensor,
  options: { now: Date; limits: SensorLimits },
): JudgedSensor {
  const { now, limits } = options;
  const silentSeconds = Math.max(0, Math.floor((now.getTime() - sensor.heardAt.getTime()) / 1000));
  const lagSeconds = sensor.unreported > 0 ? sensor.lagSeconds + silentSeconds : 0;
  const state: SensorState =
    silentSeconds > limits.goneSeconds
      ? 'gone'
      : lagSeconds > limits.maxLagSeconds
        ? 'lagging'
        : sensor.stoppedAt
          ? 'stopped'
          : silentSeconds > limits.maxLagSeconds
            ? 'silent'
            : 'ok';
  return {
    sensor,
    state,
    lagSeconds,
    silentSeconds,
    holdsRollouts: state === 'lagging' || state === 'silent',
  };
}

/** What one sensor holding rollouts is doing wrong, in a few words. */
export function lateness(j: JudgedSensor): string {
  if (j.state === 'silent') {
    return `ingestion instance ${j.sensor.instanceId} has not been heard from for ${j.silentSeconds} s`;
  }
  const unsent = j.sensor.unreported === 1 ? '1 report' : `${j.sensor.unreported} reports`;
  return `ingestion instance ${j.sensor.instanceId} is ${j.lagSeconds} s behind (${unsent} not yet delivered)`;
}

/**
 * The sentence that holds rollouts, or undefined when no sensor does. Every ingestion instance
 * may process imports of any site, so one late instance makes the control plane blind to every
 * site a rollout could change.
 */
export function blindness(options: {
  judged: JudgedSensor[];
  limits: SensorLimits;
}): string | undefined {
  const { judged, limits } = options;
  const late = judged.filter((j) => j.holdsRollouts);
  if (late.length === 0) return undefined;
  const shown = late.slice(0, 3).map(lateness);
  if (late.length > 3) shown.push(`${late.length - 3} more`);
  return (
    `import reports are late — ${shown.join('; ')}, over the ${limits.maxLagSeconds} s limit; ` +
    'rollouts do not start or advance until they arrive'
  );
}
