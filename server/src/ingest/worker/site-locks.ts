/**
 * The sites this process is working on right now — an import being processed or a repair under
 * way. It is the only processing state kept in memory: everything else (what is queued, what is
 * done, which repairs are open) is read from the database. It is enough because one ingestion
 * process serves one database (docs/adr/0010-import-journal-and-repair.md); the processing
 * transaction also locks the site's `ingest_sites` row, so a second process would wait, not
 * interleave.
 */
export class SiteLocks {
  readonly #held = new Set<string>();
  readonly #waiters = new Map<string, (() => void)[]>();

  /** Takes the site if nobody holds it (the import workers never wait). */
  tryAcquire(siteKey: string): boolean {
    if (this.#held.has(siteKey)) return false;
    this.#held.add(siteKey);
    return true;
  }

  /** Waits for the site (a repair waits for the import being processed to commit). */
  async acquire(siteKey: string): Promise<void> {
    if (this.tryAcquire(siteKey)) return;
    await new Promise<void>((resolve) => {
      const queue = this.#waiters.get(siteKey) ?? [];
      queue.push(resolve);
      this.#waiters.set(siteKey, queue);
    });
  }

  /** Hands the site to the next waiter, if any, without letting anyone else in between. */
  release(siteKey: string): void {
    const queue = this.#waiters.get(siteKey);
    const next = queue?.shift();
    if (queue && queue.length === 0) this.#waiters.delete(siteKey);
    if (next) next();
    else this.#held.delete(siteKey);
  }

  held(siteKey: string): boolean {
    return this.#held.has(siteKey);
  }

  /** Someone is waiting for the site: its holder should finish what it is doing and let go. */
  wanted(siteKey: string): boolean {
    return this.#waiters.has(siteKey);
  }

  heldSites(): string[] {
    return [...this.#held];
  }
}
