import { EventEmitter } from 'node:events';
import type { Db } from '../../db/database.ts';
import { readRevision } from './revision-store.ts';

/**
 * Knows the newest committed revision without asking the database on every SDK poll. Writers in
 * this process report their commits at once; a light poll catches writes from other replicas.
 */
export class RevisionWatcher extends EventEmitter<{ changed: [bigint] }> {
  #current = 0n;
  #timer: NodeJS.Timeout | undefined;
  readonly #db: Db;

  constructor(db: Db) {
    super();
    this.#db = db;
  }

  get current(): bigint {
    return this.#current;
  }

  committed(revision: bigint): void {
    if (revision <= this.#current) return;
    this.#current = revision;
    this.emit('changed', revision);
  }

  async refresh(): Promise<bigint> {
    this.committed(await readRevision(this.#db));
    return this.#current;
  }

  start(pollMs: number): void {
    this.#timer = setInterval(() => void this.refresh().catch(() => {}), pollMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
