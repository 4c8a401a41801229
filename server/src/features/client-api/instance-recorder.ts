import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { Loop } from '../../lib/loop.ts';

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
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #loop: Loop;

  constructor(options: { db: Db; clock: Clock; logger: Logger }) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#loop = new Loop({
      run: () => this.#write(),
      onError: (err) => this.#logger.warn({ err }, 'SDK instance sightings not recorded'),
    });
  }

  saw(sighting: InstanceSighting): void {
    const key = `${sighting.appName}\u0000${sighting.instanceId}`;
    const previous = this.#pending.get(key);
    this.#pending.set(key, {
      ...previous,
      ...sighting,
      revision: sighting.revision ?? previous?.revision,
      sdkVersion: sighting.sdkVersion ?? previous?.sdkVersion,
      seenAt: this.#clock.now(),
    });
  }

  start(flushMs: number): void {
    this.#loop.start(flushMs);
  }

  /** Resolves once what was seen before this call is written (or refused). */
  flush(): Promise<void> {
    return this.#loop.kick();
  }

  async stop(): Promise<void> {
    await this.#loop.stop();
    await this.#write();
  }

  /**
   * Writes what was seen since the last write in one transaction. Should that fail, each
   * sighting is written on its own, so one row the database refuses costs only itself.
   */
  async #write(): Promise<void> {
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
        firstSeenAt: s.seenAt,
        lastSeenAt: s.seenAt,
      },
      update: {
        lastSeenAt: s.seenAt,
        ...(s.sdkVersion ? { sdkVersion: s.sdkVersion } : {}),
        ...(s.revision !== undefined ? { lastRevision: s.revision } : {}),
      },
    });
  }
}
