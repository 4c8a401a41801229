import type { Db } from '../../db/database.ts';
import { backoffMs } from '../../lib/backoff.ts';
import type { Backoff } from '../../lib/backoff.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { Loop } from '../../lib/loop.ts';
import { readCatalogJson } from '../catalog-store.ts';
import type { ChannelName, ExportChannel } from './channels.ts';
import { dueExportGroups, settleExportGroup } from './export-store.ts';
import type { ExportGroup } from './export-store.ts';

/** A failed delivery is tried again after 1 s, 2 s, 4 s … up to 10 minutes. */
export const exportRetries: Backoff = { firstMs: 1_000, maxMs: 600_000 };

/**
 * Delivers recorded exports after the transactions that wrote them commit (`kick`) and on a
 * timer (retries, and anything a crash left pending). Each delivery publishes the site's catalog
 * as it is at that moment, which settles every export of that site and channel written before.
 */
export class ExportSender {
  readonly channels: readonly ExportChannel[];
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #loop: Loop;
  /** Deliveries under way, by site and channel, so no pair is published twice at once. */
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(options: { db: Db; channels: ExportChannel[]; clock: Clock; logger: Logger }) {
    this.channels = options.channels;
    this.#db = options.db;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#loop = new Loop({
      run: () => this.#drain(),
      onError: (err) => this.#logger.warn({ err }, 'export sender'),
    });
  }

  get channelNames(): ChannelName[] {
    return this.channels.map((c) => c.name);
  }

  start(intervalMs = 1_000): void {
    this.#loop.start(intervalMs);
  }

  kick(): Promise<void> {
    return this.#loop.kick();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Delivers a site's due exports on the given channels now (a repair waits for its file). */
  async deliverSite(siteKey: string, channels: readonly ChannelName[]): Promise<void> {
    const groups = await dueExportGroups(this.#db, {
      now: this.#clock.now(),
      limit: 10,
      siteKey,
      channels,
    });
    await Promise.all(groups.map((group) => this.#deliverGroup(group)));
  }

  async #drain(): Promise<void> {
    for (;;) {
      if (this.#loop.stopped) return;
      const groups = (
        await dueExportGroups(this.#db, { now: this.#clock.now(), limit: 64 })
      ).filter((g) => !this.#inFlight.has(key(g)));
      if (groups.length === 0) return;
      // Eight at a time: enough to hide a webhook's latency, few enough to spare the database.
      for (let i = 0; i < groups.length; i += 8) {
        await Promise.all(groups.slice(i, i + 8).map((group) => this.#deliverGroup(group)));
      }
    }
  }

  async #deliverGroup(group: ExportGroup): Promise<void> {
    const id = key(group);
    const earlier = this.#inFlight.get(id);
    if (earlier) {
      // Being published right now from an older read: wait, then send what is still due.
      await earlier;
      const [again] = await dueExportGroups(this.#db, {
        now: this.#clock.now(),
        limit: 1,
        siteKey: group.siteKey,
        channels: [group.channel],
      });
      if (again) await this.#deliverGroup(again);
      return;
    }
    const delivery = this.#deliver(group).finally(() => this.#inFlight.delete(id));
    this.#inFlight.set(id, delivery);
    await delivery;
  }

  async #deliver(group: ExportGroup): Promise<void> {
    const channel = this.channels.find((c) => c.name === group.channel);
    if (!channel) {
      // A channel configured when the export was recorded and not any more: nothing to send to.
      await settleExportGroup(this.#db, {
        group,
        now: this.#clock.now(),
        outcome: {
          delivered: false,
          error: `channel '${group.channel}' is not configured`,
          retryAt: new Date(
            this.#clock.now().getTime() + backoffMs(group.attempts + 1, exportRetries),
          ),
        },
      });
      return;
    }
    const catalog = await readCatalogJson(this.#db, group.siteKey);
    const body = `{"siteId":${JSON.stringify(group.siteKey)},"position":${catalog.position},"version":${JSON.stringify(catalog.version)},"count":${catalog.count},"products":${catalog.products}}`;
    try {
      await channel.deliver({ siteKey: group.siteKey, position: catalog.position, body });
      await settleExportGroup(this.#db, {
        group,
        now: this.#clock.now(),
        outcome: { delivered: true },
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retryAt = new Date(
        this.#clock.now().getTime() + backoffMs(group.attempts + 1, exportRetries),
      );
      this.#logger.warn(
        { site: group.siteKey, channel: group.channel, attempts: group.attempts + 1, err: message },
        'export not delivered; will retry',
      );
      await settleExportGroup(this.#db, {
        group,
        now: this.#clock.now(),
        outcome: { delivered: false, error: message, retryAt },
      });
    }
  }
}

const key = (group: { siteKey: string; channel: string }) =>
  `${group.channel}\u0000${group.siteKey}`;
