import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

/**
 * Imports give way to requests. When the event loop runs late — the process is short of CPU, and
 * answers to posted feeds queue behind imports being processed — a worker waits before its next
 * import, until the loop keeps time again or `maxWaitMs` passed (so a process that is merely slow
 * still works through its backlog). A post is answered once it is journaled; processing can wait.
 */
export async function giveWayToRequests(options: { lateMs?: number; maxWaitMs?: number } = {}) {
  const lateMs = options.lateMs ?? 50;
  const until = performance.now() + (options.maxWaitMs ?? 1_000);
  for (;;) {
    // The 90th percentile of the loop's delay since the last look (by any worker).
    const late = delay.percentile(90) / 1e6;
    delay.reset();
    if (late < lateMs || performance.now() >= until) return;
    await sleep(50);
  }
}
