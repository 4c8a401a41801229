import type { Db } from '../../db/database.ts';

export type InstanceSighting = {
  appName: string;
  instanceId: string;
  sdkVersion?: string;
  revision?: bigint;
};

/**
 * Remembers which SDK instances poll and which revision each holds. Sightings are kept in
 * memory and written in one batch every few seconds: thousands of instances polling every second
 * must not cost a write per poll.
 */
export class InstanceRecorder {
  #pending = new Map<string, InstanceSighting & { seenAt: Date }>();
  #timer: NodeJS.Timeout | undefined;
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  saw(sighting: InstanceSighting): void {
    const key = `${sighting.appName}\u0000${sighting.instanceId}`;
    const previous = this.#pending.get(key);
    this.#pending.set(key, {
      ...previous,
      ...sighting,
      revision: sighting.revision ?? previous?.revision,
      sdkVersion: sighting.sdkVersion ?? previous?.sdkVersion,
      seenAt: new Date(),
    });
  }

  start(flushMs: number): void {
    this.#timer = setInterval(() => void this.flush().catch(() => {}), flushMs);
    this.#timer.unref();
  }

  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    await this.#db.$transaction(
      batch.map((s) =>
        this.#db.clientInstance.upsert({
          where: { appName_instanceId: { appName: s.appName, instanceId: s.instanceId } },
          create: {
            appName: s.appName,
            instanceId: s.instanceId,
            sdkVersion: s.sdkVersion ?? null,
            lastRevision: s.revision ?? null,
            lastSeenAt: s.seenAt,
          },
          update: {
            lastSeenAt: s.seenAt,
            ...(s.sdkVersion ? { sdkVersion: s.sdkVersion } : {}),
            ...(s.revision !== undefined ? { lastRevision: s.revision } : {}),
          },
        }),
      ),
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
