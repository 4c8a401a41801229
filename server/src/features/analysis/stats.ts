// The statistics of canary analysis. Pure functions, unit-tested against known values.

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** (value − baseline) / baseline; −0.39 is a 39% drop. Undefined against a zero baseline. */
export function relativeChange(value: number, baseline: number): number {
  return baseline === 0 ? (value === 0 ? 0 : Infinity) : (value - baseline) / baseline;
}

/** Standard normal CDF (Abramowitz & Stegun 26.2.17; absolute error below 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const poly =
    t *
    (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return z >= 0 ? 1 - tail : tail;
}

export type MannWhitney = {
  /** U statistic of the first sample: how often one of its values beats one of the second's. */
  u: number;
  z: number;
  /** P(first sample tends lower) is significant when small: one-sided, "less". */
  pLess: number;
  pTwoSided: number;
};

/**
 * Mann-Whitney U test with the normal approximation, tie correction and continuity correction
 * (as Kayenta, through Apache Commons Math, and SciPy's `method="asymptotic"` compute it).
 */
export function mannWhitneyU(first: number[], second: number[]): MannWhitney {
  const n1 = first.length;
  const n2 = second.length;
  if (n1 === 0 || n2 === 0) throw new Error('mannWhitneyU needs two non-empty samples');
  const all = [
    ...first.map((v) => ({ v, first: true })),
    ...second.map((v) => ({ v, first: false })),
  ].sort((a, b) => a.v - b.v);
  // Average ranks over ties; remember tie sizes for the variance correction.
  let rankSumFirst = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if (all[k]!.first) rankSumFirst += rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const u = rankSumFirst - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance === 0) return { u, z: 0, pLess: 1, pTwoSided: 1 };
  const sd = Math.sqrt(variance);
  const zLess = (u - mean + 0.5) / sd;
  const zTwo = (Math.abs(u - mean) - 0.5) / sd;
  return {
    u,
    z: (u - mean) / sd,
    pLess: normalCdf(zLess),
    pTwoSided: Math.min(1, 2 * (1 - normalCdf(Math.max(zTwo, 0)))),
  };
}
