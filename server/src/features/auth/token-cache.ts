import type { Actor } from '../../http/auth.ts';
import type { Clock } from '../../lib/clock.ts';

export type CachedToken = { actor: Actor | undefined };

/**
 * Verified tokens by secret hash, so the SDKs' polls cost no query. Entries live as long as the
 * caller says (long while revocations are sure to arrive, short otherwise); `invalidate()` drops
 * everything at once. A lookup that raced an invalidation is not stored: it may have read the
 * token just before it was revoked.
 */
export function createTokenCache(options: { clock: Clock; maxEntries?: number }) {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, CachedToken & { until: number }>();
  let generation = 0;

  return {
    get(key: string): CachedToken | undefined {
      const hit = entries.get(key);
      if (hit && hit.until > options.clock.now().getTime()) return hit;
      if (hit) entries.delete(key);
      return undefined;
    },

    /** Pass to `set`: the generation a lookup started in. */
    get generation() {
      return generation;
    },

    set(key: string, actor: Actor | undefined, ttlMs: number, startedIn: number): void {
      if (startedIn !== generation) return;
      if (entries.size >= maxEntries) {
        // The oldest tenth goes: a flood of unknown tokens cannot grow memory or evict all at once.
        let drop = Math.ceil(maxEntries / 10);
        for (const k of entries.keys()) {
          if (drop-- <= 0) break;
          entries.delete(k);
        }
      }
      entries.delete(key);
      entries.set(key, { actor, until: options.clock.now().getTime() + ttlMs });
    },

    invalidate(): void {
      generation++;
      entries.clear();
    },
  };
}

export type TokenCache = ReturnType<typeof createTokenCache>;
