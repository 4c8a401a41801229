import { createHash } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import type { Introspect, Introspection } from './introspection-client.ts';

export type Caller = Extract<Introspection, { active: true }>;

export type Verdict =
  | {
      status: 'active';
      caller: Caller;
      /** undefined when no site was asked about */ siteAllowed?: boolean;
    }
  | { status: 'inactive' }
  /** The control plane cannot be asked and this token was not confirmed recently enough. */
  | { status: 'unavailable' };

type Confirmed<T> = { value: T; at: number };
type Entry = {
  token: Confirmed<Caller | undefined>;
  sites: Map<string, Confirmed<boolean>>;
};

/** A live token as saved to disk: its hash (never the secret), its answer and when it came. */
export type SavedToken = {
  hash: string;
  caller: Caller;
  at: number;
  sites: [siteKey: string, allowed: boolean, at: number][];
};

// Bounds memory whatever callers send: a flood of made-up tokens evicts the oldest entries.
const maxTokens = 10_000;
const maxSitesPerToken = 50_000;

/**
 * Checks tokens with the control plane and remembers each answer (docs/adr/0013):
 * - an answer younger than `freshMs` is used as is, so a revocation is seen within that time;
 * - when the control plane cannot answer (unreachable, timeout, 5xx), an answer younger than
 *   `graceMs` still counts: imports go on through an outage, for a bounded time. A token it
 *   never confirmed, or not recently enough, is `unavailable`.
 * After a failed call the control plane is not asked again for `retryMs`, so requests do not
 * each wait for a timeout during an outage.
 */
export function createTokenChecker(options: {
  introspect: Introspect;
  clock: Clock;
  freshMs: number;
  graceMs: number;
  retryMs?: number;
  onUnavailable?: (err: Error) => void;
}) {
  const retryMs = options.retryMs ?? 1_000;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<void>>();
  let quietUntil = 0;
  let changes = 0;
  const now = () => options.clock.now().getTime();

  function remember(key: string, siteKey: string | undefined, answer: Introspection) {
    const at = now();
    const caller = answer.active ? answer : undefined;
    let entry = entries.get(key);
    // A revoked token forgets its sites; a live one keeps them (its selector never changes).
    if (!entry || !caller) entry = { token: { value: caller, at }, sites: new Map() };
    entry.token = { value: caller, at };
    if (caller && siteKey !== undefined && caller.siteAllowed !== undefined) {
      entry.sites.delete(siteKey);
      entry.sites.set(siteKey, { value: caller.siteAllowed, at });
      evictOldest(entry.sites, maxSitesPerToken);
    }
    entries.delete(key);
    entries.set(key, entry);
    evictOldest(entries, maxTokens);
    changes++;
  }

  /** The verdict from what is remembered, if every answer it needs is younger than `maxAge`. */
  function recall(key: string, siteKey: string | undefined, maxAge: number): Verdict | undefined {
    const entry = entries.get(key);
    const young = (c: Confirmed<unknown> | undefined) => c !== undefined && now() - c.at < maxAge;
    if (!entry || !young(entry.token)) return undefined;
    const caller = entry.token.value;
    if (!caller) return { status: 'inactive' };
    // Only a selector makes the site matter; without one every site is allowed.
    if (siteKey === undefined) return { status: 'active', caller };
    if (caller.siteSelector === null) return { status: 'active', caller, siteAllowed: true };
    const site = entry.sites.get(siteKey);
    return young(site) ? { status: 'active', caller, siteAllowed: site!.value } : undefined;
  }

  async function ask(key: string, token: string, siteKey: string | undefined) {
    const flight = `${key}\n${siteKey ?? ''}`;
    let pending = inFlight.get(flight);
    if (!pending) {
      pending = options
        .introspect({ token, ...(siteKey === undefined ? {} : { siteKey }) })
        .then((answer) => remember(key, siteKey, answer))
        .finally(() => inFlight.delete(flight));
      inFlight.set(flight, pending);
    }
    await pending;
  }

  return {
    async check(token: string, siteKey?: string): Promise<Verdict> {
      const key = createHash('sha256').update(token).digest('hex');
      const fresh = recall(key, siteKey, options.freshMs);
      if (fresh) return fresh;
      if (now() >= quietUntil) {
        try {
          await ask(key, token, siteKey);
          return recall(key, siteKey, Infinity) ?? { status: 'unavailable' };
        } catch (err) {
          quietUntil = now() + retryMs;
          options.onUnavailable?.(err as Error);
        }
      }
      return recall(key, siteKey, options.graceMs) ?? { status: 'unavailable' };
    },

    /** Grows with every answer remembered: whether there is something new to save. */
    get changes() {
      return changes;
    },

    /** Live tokens still within the grace period, for a restart during an outage. */
    saved(): SavedToken[] {
      const since = now() - options.graceMs;
      return [...entries]
        .filter(([, e]) => e.token.value && e.token.at > since)
        .map(([hash, e]) => ({
          hash,
          caller: e.token.value!,
          at: e.token.at,
          sites: [...e.sites]
            .filter(([, c]) => c.at > since)
            .map(([siteKey, c]) => [siteKey, c.value, c.at]),
        }));
    },

    /** Takes back what `saved()` gave, before any request is answered. */
    restore(saved: SavedToken[]): void {
      for (const t of saved) {
        if (entries.has(t.hash)) continue;
        const sites = new Map(t.sites.map(([siteKey, value, at]) => [siteKey, { value, at }]));
        entries.set(t.hash, { token: { value: t.caller, at: t.at }, sites });
      }
    },
  };
}

export type TokenChecker = ReturnType<typeof createTokenChecker>;

function evictOldest(map: Map<string, unknown>, max: number) {
  if (map.size <= max) return;
  let drop = Math.ceil(max / 10);
  for (const key of map.keys()) {
    if (drop-- <= 0) break;
    map.delete(key);
  }
}
