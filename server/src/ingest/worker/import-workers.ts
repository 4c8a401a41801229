import type { Db } from '../../db/database.ts';
import { backoffMs } from '../../lib/backoff.ts';
import type { Backoff } from '../../lib/backoff.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { Loop } from '../../lib/loop.ts';
import type { PinReader } from '../pin-reader.ts';
import type { PipelineLookup } from '../pipelines/index.ts';
import type { SnapshotPolicy } from '../snapshots/take-snapshot.ts';
import { entryFault } from './entry-fault.ts';
import { giveUpImport } from './give-up-import.ts';
import { processNextImport } from './process-next-import.ts';
import { runnableSites } from './runnable-sites.ts';
import type { SiteLocks } from './site-locks.ts';

/** Imports of one site processed before its worker lets other sites' older imports go first. */
const importsPerTurn = 10;
/** Sites read per scan of the journal. */
const scanPage = 500;
/**
 * Attempts at one entry whose processing transaction keeps failing for a reason that may pass (a
 * lost connection, a serialization failure) before it is marked failed; with the back-off between
 * them (1, 2, 4, 8 s) a short database outage does not reach it. A failure that is the entry's
 * own (`entryFault`) fails it at the first attempt: the site's next feeds must not wait behind it.
 */
const maxAttempts = 5;
/** A site whose turn failed waits 1, 2, 4, 8 s … (at most a minute) before its next turn. */
const cooling: Backoff = { firstMs: 1_000, maxMs: 60_000 };

export type ImportWorkersOptions = {
  db: Db;
  pins: PinReader;
  pipelines: PipelineLookup;
  locks: SiteLocks;
  concurrency: number;
  snapshots: SnapshotPolicy;
  exportChannels: () => readonly string[];
  clock: Clock;
  logger: Logger;
  /** After each commit: the reporter and the export sender have something to send. */
  onProcessed: () => void;
};

/**
 * The worker pool. The journal in the database says what is to be done; in memory there is only
 * which sites are being worked on (`SiteLocks`), which entry (for `GET /imports/:id`), and the
 * list of waiting sites the last scan read — a hint each turn checks again in its transaction.
 * A scan finds sites with queued imports, oldest first; each free worker takes one that is not
 * paused, unpinned or held, and processes its imports one at a time, in journal order.
 *
 * Wakes on an accepted import, on a pin change (a resume), when a repair ends, and every
 * `intervalMs` as a safety net. Nothing needs resetting at start: a transaction cut short by a
 * crash leaves its entry queued.
 */
export class ImportWorkers {
  readonly #o: ImportWorkersOptions;
  readonly #loop: Loop;
  readonly #turns = new Map<string, Promise<void>>();
  /** Sites the last scan found waiting, oldest first: a hint, checked again by each turn. */
  #candidates: string[] = [];
  readonly #processing = new Set<string>();
  /** Sites whose last turn hit an error, and when they may be tried again. */
  readonly #coolingUntil = new Map<string, number>();
  readonly #failures = new Map<string, { count: number; error: string }>();

  constructor(options: ImportWorkersOptions) {
    this.#o = options;
    this.#loop = new Loop({
      run: () => this.#scan(),
      onError: (err) => this.#o.logger.error({ err }, 'import workers: scan failed'),
    });
  }

  start(intervalMs = 1_000): void {
    this.#loop.start(intervalMs);
    void this.wake();
  }

  /** Looks for work now (coalesced with a scan under way); nothing before `start()`. */
  wake(): Promise<void> {
    return this.#loop.kick();
  }

  isProcessing(importId: string): boolean {
    return this.#processing.has(importId);
  }

  /** Stops taking work and waits for the imports under way to commit. */
  async stop(): Promise<void> {
    await this.#loop.stop();
    while (this.#turns.size > 0) await Promise.all(this.#turns.values());
  }

  /** Reads which sites have queued imports, oldest first, when the last list has run out. */
  async #scan(): Promise<void> {
    let after = 0n;
    while (this.#free() > 0 && !this.#loop.stopped) {
      this.#fill();
      if (this.#free() === 0) return;
      const page = await runnableSites(this.#o.db, { after, limit: scanPage });
      this.#candidates = page.map((row) => row.siteKey);
      after = page.at(-1)?.first ?? after;
      this.#fill();
      if (page.length < scanPage) return;
    }
  }

  #free(): number {
    return this.#o.concurrency - this.#turns.size;
  }

  /** Starts turns for candidates that may be processed now, while workers are free. */
  #fill(): void {
    const { pins, pipelines, locks } = this.#o;
    while (this.#free() > 0 && this.#candidates.length > 0) {
      const siteKey = this.#candidates.shift()!;
      if ((this.#coolingUntil.get(siteKey) ?? 0) > this.#o.clock.now().getTime()) continue;
      const pin = pins.lookup(siteKey);
      if (pin.status !== 'pinned' || pin.paused || !pipelines(pin.version)) continue;
      if (!locks.tryAcquire(siteKey)) continue;
      const turn = this.#turn(siteKey).then(
        (more) => {
          // Its turn is over but not its queue: back of the line, behind older waiting sites.
          if (more) this.#candidates.push(siteKey);
        },
        () => {},
      );
      this.#turns.set(
        siteKey,
        turn.finally(() => {
          this.#turns.delete(siteKey);
          locks.release(siteKey);
          this.#fill();
          if (this.#free() > 0) void this.wake();
        }),
      );
    }
  }

  /**
   * Up to `importsPerTurn` of one site's imports, in order; the caller holds the site. Resolves
   * true when imports are still queued for the site.
   */
  async #turn(siteKey: string): Promise<boolean> {
    const o = this.#o;
    let picked: string | undefined;
    try {
      for (let n = 0; n < importsPerTurn; n++) {
        // A turn on the event loop between imports: PGlite answers without I/O, so without this
        // a backlog would hold every request (even /healthz) until it is worked through.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.#loop.stopped || o.locks.wanted(siteKey)) return false;
        picked = undefined;
        const result = await processNextImport({
          db: o.db,
          siteKey,
          pins: o.pins,
          pipelines: o.pipelines,
          snapshots: o.snapshots,
          exportChannels: o.exportChannels(),
          clock: o.clock,
          onPicked: (id) => {
            picked = id;
            this.#processing.add(id);
          },
        }).finally(() => picked && this.#processing.delete(picked));
        if (result.outcome !== 'processed') return false;
        this.#failures.delete(siteKey);
        this.#coolingUntil.delete(siteKey);
        o.onProcessed();
        if (!result.more) return false;
      }
      return true;
    } catch (err) {
      await this.#failed(siteKey, picked, err);
      return false;
    }
  }

  async #failed(siteKey: string, importId: string | undefined, err: unknown): Promise<void> {
    const o = this.#o;
    const error = err instanceof Error ? err.message : String(err);
    const previous = this.#failures.get(siteKey);
    const count = (previous?.count ?? 0) + 1;
    this.#failures.set(siteKey, { count, error });
    o.logger.error({ site: siteKey, importId, attempt: count, err }, 'import processing failed');
    this.#coolingUntil.set(siteKey, o.clock.now().getTime() + backoffMs(count, cooling));
    const own = importId ? entryFault(err) : undefined;
    if (!importId || (!own && count < maxAttempts)) return;
    // The entry's own data was refused, or the same entry failed to commit again and again:
    // record it as failed and move on to the site's next import.
    const pin = o.pins.lookup(siteKey);
    await giveUpImport({
      db: o.db,
      siteKey,
      importId,
      version: pin.status === 'pinned' ? pin.version : null,
      reason: own
        ? `could not be processed: ${own}`
        : `could not be processed after ${count} attempts: ${error}`,
      now: o.clock.now(),
    }).then(
      () => {
        this.#failures.delete(siteKey);
        this.#coolingUntil.delete(siteKey);
        o.onProcessed();
      },
      (again: unknown) => o.logger.error({ site: siteKey, err: again }, 'could not mark failed'),
    );
  }
}
