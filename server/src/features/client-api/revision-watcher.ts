import { EventEmitter } from 'node:events';
import type { Db } from '../../db/database.ts';
import { Loop } from '../../lib/loop.ts';
import { readRevision } from './revision-store.ts';

/**
 * Knows the newest committed revision without asking the database on every SDK poll. Writers in
 * this process report their commits at once; a light poll catches writes from other replicas.
 */
export class RevisionWatcher extends EventEmitter<{ changed: [bigint] }> {
  #current = 0n;
  #publish: ((revision: bigint) => Promise<void>) | undefined;
  readonly #db: Db;
  // A failed poll is the next poll's to retry; writers in this process report commits anyway.
  readonly #poller = new Loop({ run: async () => void (await this.refresh()), onError: () => {} });

  constructor(db: Db) {
    super();
    this.#db = db;
  }

  get current(): bigint {
    return this.#current;
  }

  /** What serves revisions to SDKs (the features cache), so that writers can wait for it. */
  publishWith(publish: (revision: bigint) => Promise<void>): void {
    this.#publish = publish;
  }

  /**
   * A writer in this process committed `revision`. Resolves once SDKs are served it or a newer
   * one, so a write answered after it has the next poll get the change. Never rejects: the write
   * stands even when serving it failed (the next poll tries again).
   */
  committed(revision: bigint): Promise<void> {
    this.seen(revision);
    return this.#publish?.(revision) ?? Promise.resolve();
  }

  /** A revision read from the database. */
  seen(revision: bigint): void {
    if (revision <= this.#current) return;
    this.#current = revision;
    this.emit('changed', revision);
  }

  async refresh(): Promise<bigint> {
    this.seen(await readRevision(this.#db));
    return this.#current;
  }

  start(pollMs: number): void {
    this.#poller.start(pollMs);
  }

  stop(): Promise<void> {
    return this.#poller.stop();
  }
}
