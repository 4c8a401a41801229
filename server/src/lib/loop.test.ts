// The loop's promises, driven by hand: each pass ends when the test says so, and the timer ticks
// when the test fires it. Nothing here waits on time.
import { describe, expect, it } from 'vitest';
import { Loop } from './loop.ts';
import type { Timer } from './loop.ts';

/** Every pending step below is a promise callback: one turn of the event loop runs them all. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A timer the test fires by hand. */
const manual = (() => {
  const ticks = new Set<() => void>();
  const timer: Timer = (tick) => {
    ticks.add(tick);
    return () => ticks.delete(tick);
  };
  return { timer, ticks, fire: () => ticks.forEach((tick) => tick()) };
})();

/** A loop whose passes each wait for `finish()`; `started` counts passes begun. */
function handDriven(options: { fail?: (pass: number) => boolean } = {}) {
  const passes: PromiseWithResolvers<void>[] = [];
  const errors: unknown[] = [];
  let active = 0;
  let mostAtOnce = 0;
  const loop = new Loop({
    run: async () => {
      const pass = Promise.withResolvers<void>();
      passes.push(pass);
      active++;
      mostAtOnce = Math.max(mostAtOnce, active);
      try {
        await pass.promise;
        if (options.fail?.(passes.length)) throw new Error(`pass ${passes.length} failed`);
      } finally {
        active--;
      }
    },
    onError: (err) => errors.push(err),
    timer: manual.timer,
  });
  return {
    loop,
    errors,
    get started() {
      return passes.length;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
    /** Ends the pass under way. */
    async finish() {
      passes.at(-1)!.resolve();
      await settle();
    },
  };
}

/** Records when a promise resolves. */
function watch(promise: Promise<void>) {
  const state = { done: false };
  void promise.then(() => (state.done = true));
  return state;
}

describe('a loop', () => {
  it('does nothing before start() and nothing after stop()', async () => {
    const t = handDriven();
    await t.loop.kick();
    expect(t.started).toBe(0);

    t.loop.start();
    const first = watch(t.loop.kick());
    expect(t.started).toBe(1);
    await t.finish();
    expect(first.done).toBe(true);

    await t.loop.stop();
    await t.loop.kick();
    expect(t.started).toBe(1);
  });

  it('never runs two passes at once: kicks during a pass add exactly one pass after it', async () => {
    const t = handDriven();
    t.loop.start();
    const first = watch(t.loop.kick());
    const during = [watch(t.loop.kick()), watch(t.loop.kick()), watch(t.loop.kick())];
    await settle();
    expect(t.started).toBe(1);

    await t.finish();
    expect(first.done).toBe(true);
    // The kicks made during the first pass wait for the one pass that started after them.
    expect(during.map((d) => d.done)).toEqual([false, false, false]);
    expect(t.started).toBe(2);

    await t.finish();
    expect(during.map((d) => d.done)).toEqual([true, true, true]);
    expect(t.started).toBe(2);
    expect(t.mostAtOnce).toBe(1);
  });

  it('reports a failed pass and goes on with the next kick', async () => {
    const t = handDriven({ fail: (pass) => pass === 1 });
    t.loop.start();
    const failed = watch(t.loop.kick());
    await t.finish();
    expect(failed.done).toBe(true);
    expect(t.errors.map((e) => (e as Error).message)).toEqual(['pass 1 failed']);

    const next = watch(t.loop.kick());
    await t.finish();
    expect(next.done).toBe(true);
    expect(t.errors).toHaveLength(1);
  });

  it('kicks itself on its timer once started, and stops ticking when stopped', async () => {
    const t = handDriven();
    manual.fire();
    expect(t.started).toBe(0);

    t.loop.start(1_000);
    expect(manual.ticks.size).toBe(1);
    manual.fire();
    expect(t.started).toBe(1);
    manual.fire(); // a tick during a pass is a kick like any other
    await t.finish();
    expect(t.started).toBe(2);
    await t.finish();

    await t.loop.stop();
    expect(manual.ticks.size).toBe(0);
  });

  it('stop() waits for the pass under way, and the pass kicked meanwhile never starts', async () => {
    const t = handDriven();
    t.loop.start();
    void t.loop.kick();
    const waiting = watch(t.loop.kick());
    const stopped = watch(t.loop.stop());
    expect(t.loop.stopped).toBe(true);
    await settle();
    expect(stopped.done).toBe(false);

    await t.finish();
    expect(stopped.done).toBe(true);
    expect(waiting.done).toBe(true);
    expect(t.started).toBe(1);
  });
});
