import { z } from 'zod';
import { route } from '../../http/route.ts';
import type { JudgedSensor } from './sensor-health.ts';
import type { SensorService } from './sensor-service.ts';

const count = z.number().int().min(0).max(2_147_483_647);
const when = z.iso.datetime().transform((s) => new Date(s));

const HeartbeatBody = z
  .strictObject({
    instanceId: z
      .string()
      .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 printable ASCII characters without spaces'),
    lagSeconds: count.describe(
      'age of the oldest processed import whose report is not acknowledged (0 when none), on the instance clock',
    ),
    unreported: count.describe('processed imports whose report is not acknowledged'),
    oldestUnreportedAt: when.nullable(),
    queued: count.describe('imports journaled and not processed yet'),
    oldestQueuedAt: when.nullable(),
    lastDeliveredAt: when.nullable().describe('when the control plane last acknowledged a report'),
    stopping: z.boolean().default(false).describe('the last heartbeat before a graceful stop'),
  })
  .meta({ id: 'SensorHeartbeat' });

const SensorSchema = z
  .object({
    instanceId: z.string(),
    state: z
      .enum(['ok', 'lagging', 'silent', 'stopped', 'gone'])
      .describe(
        'lagging: reports older than the limit; silent: no heartbeat for longer than the limit; stopped: said goodbye; gone: silent past the gone limit',
      ),
    holdsRollouts: z.boolean().describe('while true, no rollout starts or advances'),
    lagSeconds: z.number().int().describe('age of its oldest unreported import now'),
    silentSeconds: z.number().int().describe('since its last heartbeat'),
    unreported: z.number().int(),
    queued: z.number().int(),
    oldestUnreportedAt: z.iso.datetime().nullable(),
    oldestQueuedAt: z.iso.datetime().nullable(),
    lastDeliveredAt: z.iso.datetime().nullable(),
    heardAt: z.iso.datetime(),
    firstHeardAt: z.iso.datetime(),
    stoppedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Sensor' });

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toBody(j: JudgedSensor): z.input<typeof SensorSchema> {
  const s = j.sensor;
  return {
    instanceId: s.instanceId,
    state: j.state,
    holdsRollouts: j.holdsRollouts,
    lagSeconds: j.lagSeconds,
    silentSeconds: j.silentSeconds,
    unreported: s.unreported,
    queued: s.queued,
    oldestUnreportedAt: iso(s.oldestUnreportedAt),
    oldestQueuedAt: iso(s.oldestQueuedAt),
    lastDeliveredAt: iso(s.lastDeliveredAt),
    heardAt: s.heardAt.toISOString(),
    firstHeardAt: s.firstHeardAt.toISOString(),
    stoppedAt: iso(s.stoppedAt),
  };
}

export function sensorRoutes({ sensors }: { sensors: SensorService }) {
  const limits = z.object({
    limitSeconds: z.number().int().describe('PINION_MAX_REPORT_LAG_SECONDS'),
    goneSeconds: z.number().int().describe('PINION_SENSOR_GONE_SECONDS'),
  });
  return [
    route({
      method: 'post',
      path: '/api/v1/sensors/heartbeat',
      tag: 'sensors',
      summary: 'An ingestion instance says how late its import reports are (every few seconds)',
      permission: 'ingest',
      body: HeartbeatBody,
      response: limits.extend({ sensor: SensorSchema }),
      handler: async ({ body }) => ({
        limitSeconds: sensors.limits.maxLagSeconds,
        goneSeconds: sensors.limits.goneSeconds,
        sensor: toBody(await sensors.heartbeat(body)),
      }),
    }),
    route({
      method: 'get',
      path: '/api/v1/sensors',
      tag: 'sensors',
      summary: "Every ingestion instance's reporting lag, and whether it holds rollouts",
      permission: 'viewer',
      response: limits.extend({
        holding: z
          .string()
          .nullable()
          .describe('the sentence a held rollout shows, or null when reports are in time'),
        items: z.array(SensorSchema),
      }),
      handler: async () => {
        const { judged, holding } = await sensors.list();
        return {
          limitSeconds: sensors.limits.maxLagSeconds,
          goneSeconds: sensors.limits.goneSeconds,
          holding: holding ?? null,
          items: judged.map(toBody),
        };
      },
    }),
  ];
}
