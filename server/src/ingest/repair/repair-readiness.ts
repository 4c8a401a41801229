import type { PinReader } from '../pin-reader.ts';
import type { RepairTask } from './repair-store.ts';

/**
 * Why a site's repair may not run yet (undefined: it may). A replay uses the site's pin as this
 * process holds it, and a claim can arrive before this process has read the revert that came
 * before it: a site still seen on the version being repaired waits for the next pin refresh. If
 * it stays there, it was pinned back on purpose, and replaying would change nothing: after a
 * while the task fails with the reason.
 */
export function repairBlockedBy(pins: PinReader, refreshMs: number) {
  return (task: RepairTask): { reason: string; waitsAtMost?: number } | undefined => {
    const pin = pins.lookup(task.siteKey);
    if (pin.status === 'not-ready') return { reason: 'the pins have not been read yet' };
    if (pin.status === 'pinned' && pin.version === task.badVersion) {
      return {
        reason: `site '${task.siteKey}' is still pinned to ${task.badVersion}, the version being repaired; pin it to another version, then retry the repair`,
        waitsAtMost: Math.max(60_000, 10 * refreshMs),
      };
    }
    return undefined;
  };
}
