/** Calls `tick` every `ms` until the returned function is called. */
export type Timer = (tick: () => void, ms: number) => () => void;

/** The real one: an interval that does not keep the process alive. */
export const intervalTimer: Timer = (tick, ms) => {
  const interval = setInterval(tick, ms);
  interval.unref();
  return () => clearInterval(interval);
};

export type LoopOptions = {
  /** One pass: does what is due (drains an outbox, takes engine steps, …) and returns. */
  run: () => Promise<void>;
  /** A pass that threw; the loop goes on, and the next kick or tick tries again. */
  onError: (err: unknown) => void;
  /** What `start(everyMs)` ticks with; tests pass a manual one. */
  timer?: Timer;
};

/**
 * Work done on demand and on a timer, never twice at once: the outboxes, the import workers'
 * scan, the repair executor, the webhook sender, the rollout engine, sensor announcements.
 *
 * - A loop does nothing until `start()` and nothing after `stop()`.
 * - `kick()` starts a pass now, or, while one is under way, exactly one more pass after it: a
 *   burst of commits costs one extra pass, not one each. Its promise resolves when a pass that
 *   started after the kick has ended, so the caller sees its own writes handled. It never
 *   rejects: a failed pass goes to `onError`.
 * - `start(everyMs)` also kicks every `everyMs`, as a safety net for work whose kick was lost
 *   (a crash, another process's commit, a retry that came due).
 */
export class Loop {
  #state: 'idle' | 'started' | 'stopped' = 'idle';
  #running: Promise<void> | undefined;
  /** The pass kicks are waiting for while another one runs. */
  #next: PromiseWithResolvers<void> | undefined;
  #cancelTimer: (() => void) | undefined;
  readonly #o: LoopOptions;

  constructor(options: LoopOptions) {
    this.#o = options;
  }

  /** True once `stop()` was called: a long pass checks it to end early. */
  get stopped(): boolean {
    return this.#state === 'stopped';
  }

  /** Lets kicks run passes; with `everyMs`, a timer kicks too. Starting twice changes nothing. */
  start(everyMs?: number): void {
    if (this.#state !== 'idle') return;
    this.#state = 'started';
    if (everyMs !== undefined)
      this.#cancelTimer = (this.#o.timer ?? intervalTimer)(() => void this.kick(), everyMs);
  }

  kick(): Promise<void> {
    if (this.#state !== 'started') return Promise.resolve();
    if (this.#running) {
      this.#next ??= Promise.withResolvers<void>();
      return this.#next.promise;
    }
    // Called at once (not on a later tick), so a pass starts in the same turn as its kick.
    const pass = new Promise<void>((resolve) => resolve(this.#o.run()))
      .catch((err: unknown) => this.#o.onError(err))
      .finally(() => {
        this.#running = undefined;
        const waiting = this.#next;
        this.#next = undefined;
        waiting?.resolve(this.kick());
      });
    this.#running = pass;
    return pass;
  }

  /** Resolves once no pass is under way and none will start (the database may then close). */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    this.#cancelTimer?.();
    while (this.#running) await this.#running;
  }
}
