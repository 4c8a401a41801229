import { Strategy } from 'unleash-client';
import type { Context } from 'unleash-client';

/**
 * The `siteIds` custom strategy: enabled when `context.properties.siteId` is in the strategy's
 * comma-separated list. The Set for a list is built once per distinct parameter string, so an
 * evaluation is one hash lookup however long the list (the stock IN constraint scans the list
 * on every call).
 */
export class SiteIdsStrategy extends Strategy {
  #sets = new Map<string, Set<string>>();

  constructor() {
    super('siteIds');
  }

  override isEnabled(parameters: { siteIds?: string }, context: Context): boolean {
    const siteId = context.properties?.siteId;
    if (typeof siteId !== 'string' || !parameters.siteIds) return false;
    return this.#setFor(parameters.siteIds).has(siteId);
  }

  #setFor(list: string): Set<string> {
    let set = this.#sets.get(list);
    if (!set) {
      // Lists are replaced wholesale on each payload; drop the old ones rather than grow.
      if (this.#sets.size >= 64) this.#sets.clear();
      set = new Set(
        list
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
      this.#sets.set(list, set);
    }
    return set;
  }
}
