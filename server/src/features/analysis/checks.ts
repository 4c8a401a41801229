// The verdict rules. Pure: given a site's baseline and canary imports (or a stage's figures) and
// the policy, each check says pass, fail, warn or insufficient, with its numbers and a sentence.
// Insufficient data is never a pass.
import type { CheckPolicy } from './check-policy.ts';
import { mannWhitneyU, median, relativeChange } from './stats.ts';

export type ImportSample = {
  received: number;
  imported: number;
  errors: number;
  failed: boolean;
  durationMs: number;
};
export type Outcome = 'pass' | 'fail' | 'warn' | 'insufficient';
export type Verdict = {
  siteKey: string;
  check: string;
  outcome: Outcome;
  required: boolean;
  message: string;
  numbers: Record<string, number | string>;
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number) =>
  `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(Math.round(x * 1000) / 10)}%`;

export function evaluateSite(options: {
  siteKey: string;
  fromVersion: string;
  toVersion: string;
  baseline: ImportSample[];
  canary: ImportSample[];
  policy: CheckPolicy;
}): Verdict[] {
  const { siteKey, fromVersion, toVersion, baseline, canary, policy } = options;
  const site = `site ${siteKey}`;
  const checks = ['imported_products', 'acceptance_ratio', 'errors', 'duration'] as const;
  const required = (check: (typeof checks)[number]) =>
    check !== 'duration' || policy.durationRequired;

  if (baseline.length < policy.minBaselineImports || canary.length < policy.minCanaryImports) {
    const message =
      baseline.length < policy.minBaselineImports
        ? `${site}: ${baseline.length} import(s) on ${fromVersion} in the last ${policy.baselineDays} days before the change; the baseline needs ${policy.minBaselineImports}`
        : `${site}: ${canary.length} import(s) on ${toVersion} so far; need ${policy.minCanaryImports}`;
    return checks.map((check) => ({
      siteKey,
      check,
      outcome: 'insufficient' as const,
      required: required(check),
      message,
      numbers: { baselineImports: baseline.length, canaryImports: canary.length },
    }));
  }

  const verdicts: Verdict[] = [];
  const importedNow = median(canary.map((s) => s.imported));
  const importedBefore = median(baseline.map((s) => s.imported));
  const importedChange = relativeChange(importedNow, importedBefore);
  verdicts.push({
    siteKey,
    check: 'imported_products',
    outcome: importedChange < -policy.maxImportedDropPercent / 100 ? 'fail' : 'pass',
    required: true,
    message: `${site}: imported ${fmt(importedNow)} products on ${toVersion}, baseline ${fmt(importedBefore)} on ${fromVersion} (${pct(importedChange)}), threshold −${policy.maxImportedDropPercent}%`,
    numbers: {
      imported: importedNow,
      baseline: importedBefore,
      change: importedChange,
      canaryImports: canary.length,
    },
  });

  const ratio = (s: ImportSample) => (s.received === 0 ? 1 : s.imported / s.received);
  const ratioNow = median(canary.map(ratio));
  const ratioBefore = median(baseline.map(ratio));
  const ratioChange = relativeChange(ratioNow, ratioBefore);
  verdicts.push({
    siteKey,
    check: 'acceptance_ratio',
    outcome: ratioChange < -policy.maxAcceptanceDropPercent / 100 ? 'fail' : 'pass',
    required: true,
    message: `${site}: kept ${(ratioNow * 100).toFixed(1)}% of received products on ${toVersion}, ${(ratioBefore * 100).toFixed(1)}% on ${fromVersion} (${pct(ratioChange)}), threshold −${policy.maxAcceptanceDropPercent}%`,
    numbers: { ratio: ratioNow, baseline: ratioBefore, change: ratioChange },
  });

  const errorRate = (xs: ImportSample[]) => {
    const received = xs.reduce((a, s) => a + s.received, 0);
    return received === 0 ? 0 : xs.reduce((a, s) => a + s.errors, 0) / received;
  };
  const failedNow = canary.filter((s) => s.failed).length;
  const failedBefore = baseline.filter((s) => s.failed).length;
  const errorsNow = errorRate(canary);
  const errorsBefore = errorRate(baseline);
  const failedImports = policy.failOnFailedImports && failedNow > 0 && failedBefore === 0;
  const moreErrors = errorsNow - errorsBefore > policy.maxErrorRateIncreasePercent / 100;
  verdicts.push({
    siteKey,
    check: 'errors',
    outcome: failedImports || moreErrors ? 'fail' : 'pass',
    required: true,
    message: failedImports
      ? `${site}: ${failedNow} of ${canary.length} import(s) failed on ${toVersion}, none of ${baseline.length} on ${fromVersion}`
      : `${site}: errors on ${(errorsNow * 100).toFixed(2)}% of products on ${toVersion}, ${(errorsBefore * 100).toFixed(2)}% on ${fromVersion}, allowed +${policy.maxErrorRateIncreasePercent} points`,
    numbers: { errorRate: errorsNow, baseline: errorsBefore, failed: failedNow },
  });

  const durationNow = median(canary.map((s) => s.durationMs));
  const durationBefore = median(baseline.map((s) => s.durationMs));
  const durationChange = relativeChange(durationNow, Math.max(durationBefore, 1));
  const slow = durationChange > policy.maxDurationIncreasePercent / 100;
  verdicts.push({
    siteKey,
    check: 'duration',
    outcome: slow ? (policy.durationRequired ? 'fail' : 'warn') : 'pass',
    required: policy.durationRequired,
    message: `${site}: imports took ${fmt(durationNow)} ms on ${toVersion}, ${fmt(durationBefore)} ms on ${fromVersion} (${pct(durationChange)}), threshold +${policy.maxDurationIncreasePercent}%`,
    numbers: { durationMs: durationNow, baseline: durationBefore, change: durationChange },
  });
  return verdicts;
}

/**
 * Across a stage: do the canary sites' changes in imported products differ from the natural
 * drift of the sites not yet upgraded? Run once the stage is otherwise ready to pass (testing on
 * every tick would multiply false alarms); a difference must be significant and larger than the
 * tolerance to fail.
 */
export function compareWithControl(options: {
  canaryChanges: number[];
  controlChanges: number[];
  policy: CheckPolicy;
}): Verdict {
  const { canaryChanges, controlChanges, policy } = options;
  const base = { siteKey: '', check: 'canary_vs_control', required: false };
  if (
    canaryChanges.length < policy.mannWhitneyMinSamples ||
    controlChanges.length < policy.mannWhitneyMinSamples
  ) {
    return {
      ...base,
      outcome: 'insufficient',
      message: `canary vs control: ${canaryChanges.length} canary and ${controlChanges.length} control site(s) with data; the comparison needs ${policy.mannWhitneyMinSamples} of each`,
      numbers: { canarySites: canaryChanges.length, controlSites: controlChanges.length },
    };
  }
  const test = mannWhitneyU(canaryChanges, controlChanges);
  const canaryMedian = median(canaryChanges);
  const controlMedian = median(controlChanges);
  const worse = canaryMedian - controlMedian < -policy.mannWhitneyTolerancePercent / 100;
  const fail = test.pLess < policy.mannWhitneyAlpha && worse;
  return {
    ...base,
    required: true,
    outcome: fail ? 'fail' : 'pass',
    message: `canary vs control: imported products changed by median ${pct(canaryMedian)} on ${canaryChanges.length} canary sites against ${pct(controlMedian)} on ${controlChanges.length} untouched sites (Mann-Whitney U = ${test.u}, p = ${test.pLess.toPrecision(2)})`,
    numbers: {
      u: test.u,
      p: test.pLess,
      canaryMedian,
      controlMedian,
      canarySites: canaryChanges.length,
      controlSites: controlChanges.length,
    },
  };
}

const checkOrder = [
  'imported_products',
  'acceptance_ratio',
  'errors',
  'duration',
  'canary_vs_control',
];

export type StageDecision =
  | { decision: 'fail'; reasons: Verdict[] }
  | { decision: 'wait'; why: string }
  | { decision: 'insufficient'; why: string }
  | { decision: 'pass' };

/**
 * Fails as soon as any required check fails (even mid-bake); passes only when the bake is over
 * and every applied site has passing required checks; otherwise waits, and after `maxWaitSeconds`
 * past the bake with data still missing, reports insufficient data (which halts by default).
 */
export function decideStage(options: {
  siteVerdicts: Verdict[];
  appliedSites: number;
  bakeOver: boolean;
  secondsPastBake: number;
  policy: CheckPolicy;
}): StageDecision {
  const { siteVerdicts, appliedSites, policy } = options;
  // The plainest finding first: fewer products says more to a person than a ratio.
  const failed = siteVerdicts
    .filter((v) => v.required && v.outcome === 'fail')
    .sort((a, b) => checkOrder.indexOf(a.check) - checkOrder.indexOf(b.check));
  if (failed.length > 0) return { decision: 'fail', reasons: failed };
  if (!options.bakeOver) return { decision: 'wait', why: 'baking' };
  const settled = new Set<string>();
  const bySite = new Map<string, Verdict[]>();
  for (const v of siteVerdicts) bySite.set(v.siteKey, [...(bySite.get(v.siteKey) ?? []), v]);
  for (const [site, verdicts] of bySite) {
    if (verdicts.filter((v) => v.required).every((v) => v.outcome === 'pass')) settled.add(site);
  }
  if (settled.size >= appliedSites) return { decision: 'pass' };
  const why = `${appliedSites - settled.size} of ${appliedSites} site(s) lack enough data to judge`;
  if (options.secondsPastBake >= policy.maxWaitSeconds && policy.onInsufficientData === 'halt') {
    return {
      decision: 'insufficient',
      why: `${why} after waiting ${policy.maxWaitSeconds} s past the bake`,
    };
  }
  return { decision: 'wait', why };
}
