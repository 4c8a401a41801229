import { describe, expect, it } from 'vitest';
import { mannWhitneyU, median, normalCdf, relativeChange } from './stats.ts';

describe('statistics', () => {
  it('median and relative change', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(relativeChange(612, 1004)).toBeCloseTo(-0.3904, 4);
    expect(relativeChange(110, 100)).toBeCloseTo(0.1, 10);
    expect(relativeChange(0, 0)).toBe(0);
  });

  it('normal CDF matches tables', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.975002, 5);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 5);
    expect(normalCdf(3)).toBeCloseTo(0.99865, 5);
  });

  // Reference values: SciPy 1.x, mannwhitneyu(x, y, method="asymptotic", use_continuity=True).
  it('separated samples: U = 0, two-sided p = 0.0809 (scipy asymptotic)', () => {
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(r.u).toBe(0);
    expect(r.pTwoSided).toBeCloseTo(0.080856, 4);
    expect(r.pLess).toBeCloseTo(0.040428, 4);
  });

  it('handles ties with the corrected variance', () => {
    // By hand: sorted 1 2 2 2 3 3 3 4 get ranks 1, 3, 3, 3, 6, 6, 6, 8. Rank sum of x = 1 + 3 + 3 + 6
    // = 13, so U = 13 − 4·5/2 = 3; two tie groups of 3 give Σ(t³ − t) = 48.
    const r = mannWhitneyU([1, 2, 2, 3], [2, 3, 3, 4]);
    expect(r.u).toBe(3);
    const variance = ((4 * 4) / 12) * (9 - 48 / (8 * 7));
    expect(r.z).toBeCloseTo((3 - 8) / Math.sqrt(variance), 10);
    expect(r.pTwoSided).toBeCloseTo(2 * (1 - normalCdf((5 - 0.5) / Math.sqrt(variance))), 10);
  });

  it('is symmetric: swapping the samples mirrors U and keeps the two-sided p', () => {
    const a = [0.01, -0.02, 0.03, 0.0, -0.01, 0.02];
    const b = [-0.4, -0.35, -0.42, -0.38];
    const ab = mannWhitneyU(a, b);
    const ba = mannWhitneyU(b, a);
    expect(ab.u + ba.u).toBe(a.length * b.length);
    expect(ab.pTwoSided).toBeCloseTo(ba.pTwoSided, 12);
    expect(ba.pLess).toBeLessThan(0.01);
    expect(ab.pLess).toBeGreaterThan(0.99);
  });

  it('finds no difference in identical distributions', () => {
    const r = mannWhitneyU([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]);
    expect(r.u).toBe(12.5);
    expect(r.pTwoSided).toBeCloseTo(1, 6);
  });
});
