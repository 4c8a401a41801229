import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.ts';

describe('backoffMs', () => {
  it('doubles the wait after each failure in a row, from the first wait up to the cap', () => {
    const policy = { firstMs: 1_000, maxMs: 600_000 };
    expect([1, 2, 3, 4, 10, 11, 30].map((n) => backoffMs(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 512_000, 600_000, 600_000,
    ]);
  });

  it('stays at the cap however many failures there were, never Infinity or NaN', () => {
    expect(backoffMs(5_000, { firstMs: 1_000, maxMs: 60_000 })).toBe(60_000);
  });

  it('waits the first wait when no failure was counted yet', () => {
    expect(backoffMs(0, { firstMs: 500, maxMs: 60_000 })).toBe(500);
  });
});
