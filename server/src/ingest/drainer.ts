/**
 * Runs a drain function on demand and on a timer, never twice at once: a kick that arrives while
 * a run is under way schedules exactly one more run after it. The outboxes (import reports,
 * exports, repair progress) and the import workers' scan all work this way, so a burst of
 * commits costs one extra pass, not one pass each.
 */
export class Drainer {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  readonly #drain: () => Promise<void>;
  readonly #onError: (err: unknown) => void;

  constructor(options: { drain: () => Promise<void>; onError: (err: unknown) => void }) {
    this.#drain = options.drain;
    this.#onError = options.onError;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => void this.kick(), intervalMs);
    this.#timer.unref();
  }

  /** Runs now, or once more after the run under way; resolves when that run has ended. */
  kick(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#drain()
      .catch((err: unknown) => this.#onError(err))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          void this.kick();
        }
      });
    return this.#running;
  }

  /** Resolves once no run is under way and none will start (the database may then close). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    while (this.#running) await this.#running;
  }
}
