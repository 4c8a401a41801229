import type { Tx } from '../../db/transaction.ts';

export type Heartbeat = {
  instanceId: string;
  lagSeconds: number;
  unreported: number;
  oldestUnreportedAt: Date | null;
  queued: number;
  oldestQueuedAt: Date | null;
  lastDeliveredAt: Date | null;
  stopping: boolean;
};

/** Keeps what an instance said, stamped with the control plane's time of hearing it. */
export async function saveHeartbeat(tx: Tx, options: { beat: Heartbeat; heardAt: Date }) {
  const { beat, heardAt } = options;
  const { stopping, ...fields } = beat;
  const data = { ...fields, heardAt, stoppedAt: stopping ? heardAt : null };
  return tx.sensor.upsert({
    where: { instanceId: beat.instanceId },
    create: { ...data, firstHeardAt: heardAt },
    update: data,
  });
}

export async function findSensors(db: Tx) {
  return db.sensor.findMany({ orderBy: { instanceId: 'asc' } });
}

/** One instance's row, locked until the transaction ends: its announcements happen one at a time. */
export async function lockSensor(tx: Tx, instanceId: string) {
  await tx.$queryRaw`SELECT instance_id FROM sensors WHERE instance_id = ${instanceId} FOR UPDATE`;
  return tx.sensor.findUnique({ where: { instanceId } });
}

export async function setAnnounced(tx: Tx, options: { instanceId: string; announced: string }) {
  await tx.sensor.update({
    where: { instanceId: options.instanceId },
    data: { announced: options.announced },
  });
}

/** Forgets instances not heard from since `before` (long gone; they only clutter the list). */
export async function forgetSensors(tx: Tx, before: Date): Promise<number> {
  const { count } = await tx.sensor.deleteMany({ where: { heardAt: { lt: before } } });
  return count;
}
