import type { Db } from '../../db/database.ts';
import type { Logger } from '../../lib/logger.ts';

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
  readonly #logger: Logger;

  constructor(options: { db: Db; logger: Logger }) {
    this.#db = options.db;
    this.#logger = options.logger;
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

  /**
   * Writes what was seen since the last flush in one transaction. Should that fail, each sighting
   * is written on its own, so one row the database refuses costs only itself.
   */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    try {
      await this.#db.$transaction(batch.map((s) => this.#upsert(s)));
    } catch {
      for (const sighting of batch) {
        await this.#upsert(sighting).catch((err: unknown) =>
          this.#logger.warn(
            { err, appName: sighting.appName, instanceId: sighting.instanceId },
            'SDK instance sighting not recorded',
          ),
        );
      }
    }
  }

  #upsert(s: InstanceSighting & { seenAt: Date }) {
    return this.#db.clientInstance.upsert({
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
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
