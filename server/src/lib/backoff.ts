/** How long to wait between tries: the first wait, doubled after each failure, up to a cap. */
export type Backoff = { firstMs: number; maxMs: number };

/**
 * The wait after the `failures`-th failure in a row (1, 2, …): first, 2·first, 4·first, … up to
 * max. No jitter: every retry here is already spread out by a pool or a batch, and a delay that
 * is exactly this long is one an operator can read off `nextAttemptAt` (docs/adr/0018).
 */
export function backoffMs(failures: number, policy: Backoff): number {
  return Math.min(policy.maxMs, policy.firstMs * 2 ** Math.max(0, failures - 1));
}
