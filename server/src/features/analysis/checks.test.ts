import { describe, expect, it } from 'vitest';
import { defaultCheckPolicy as policy } from './check-policy.ts';
import { compareWithControl, decideStage, evaluateSite } from './checks.ts';
import type { ImportSample, Verdict } from './checks.ts';

const sample = (imported: number, extra: Partial<ImportSample> = {}): ImportSample => ({
  received: 1_004,
  imported,
  errors: 0,
  failed: false,
  durationMs: 40,
  ...extra,
});
const baseline = [sample(1_004), sample(1_000), sample(1_010), sample(1_004), sample(998)];
const site = (canary: ImportSample[], base = baseline) =>
  evaluateSite({
    siteKey: 's-17',
    fromVersion: 'v1',
    toVersion: 'v2',
    baseline: base,
    canary,
    policy,
  });
const outcome = (verdicts: Verdict[], check: string) =>
  verdicts.find((v) => v.check === check)!.outcome;

describe('per-site checks', () => {
  it('fails a drop in imported products and says it in a sentence', () => {
    const verdicts = site([sample(612)]);
    const imported = verdicts.find((v) => v.check === 'imported_products')!;
    expect(imported.outcome).toBe('fail');
    expect(imported.message).toBe(
      'site s-17: imported 612 products on v2, baseline 1,004 on v1 (−39%), threshold −5%',
    );
    expect(outcome(verdicts, 'acceptance_ratio')).toBe('fail');
  });

  it('passes the few-percent churn of a healthy site', () => {
    const verdicts = site([sample(985), sample(1_020)]);
    expect(verdicts.filter((v) => v.required).map((v) => v.outcome)).toEqual([
      'pass',
      'pass',
      'pass',
    ]);
  });

  it('never passes without enough data', () => {
    for (const verdicts of [site([]), site([sample(1_004)], baseline.slice(0, 2))]) {
      expect(verdicts.every((v) => v.outcome === 'insufficient')).toBe(true);
    }
    expect(site([])[0]!.message).toBe('site s-17: 0 import(s) on v2 so far; need 1');
  });

  it('fails failed imports and rising errors; only warns on slowness by default', () => {
    expect(outcome(site([sample(1_004, { failed: true })]), 'errors')).toBe('fail');
    expect(outcome(site([sample(1_004, { errors: 50 })]), 'errors')).toBe('fail');
    const slow = site([sample(1_004, { durationMs: 400 })]);
    expect(outcome(slow, 'duration')).toBe('warn');
    expect(slow.find((v) => v.check === 'duration')!.required).toBe(false);
  });
});

describe('canary vs control', () => {
  const control = [-0.01, 0.004, 0.012, -0.006, 0.0, 0.008, -0.015, 0.01];
  it('fails a significant drop of the canaries against the control group', () => {
    const v = compareWithControl({
      canaryChanges: [-0.3, -0.28, -0.35, -0.4, -0.31, -0.33],
      controlChanges: control,
      policy,
    });
    expect(v.outcome).toBe('fail');
    expect(v.message).toMatch(/median −32% on 6 canary sites against \+0\.2% on 8 untouched sites/);
  });

  it('passes noise, and a significant difference below the tolerance', () => {
    expect(
      compareWithControl({
        canaryChanges: [0.01, -0.012, 0.005, -0.003, 0.009],
        controlChanges: control,
        policy,
      }).outcome,
    ).toBe('pass');
    const tiny = compareWithControl({
      canaryChanges: [-0.01, -0.011, -0.012, -0.013, -0.014, -0.015],
      controlChanges: [0.0, 0.001, 0.002, 0.003, 0.004, 0.005],
      policy,
    });
    expect(tiny.numbers.p as number).toBeLessThan(0.01);
    expect(tiny.outcome).toBe('pass');
  });

  it('says insufficient (and is not required) with too few sites', () => {
    const v = compareWithControl({ canaryChanges: [-0.4, -0.4], controlChanges: control, policy });
    expect(v).toMatchObject({ outcome: 'insufficient', required: false });
  });
});

describe('stage decision', () => {
  const pass = (siteKey: string): Verdict[] => [
    {
      siteKey,
      check: 'imported_products',
      outcome: 'pass',
      required: true,
      message: '',
      numbers: {},
    },
    { siteKey, check: 'duration', outcome: 'warn', required: false, message: '', numbers: {} },
  ];
  const insufficient = (siteKey: string): Verdict => ({
    siteKey,
    check: 'imported_products',
    outcome: 'insufficient',
    required: true,
    message: '',
    numbers: {},
  });
  const fail: Verdict = {
    siteKey: 'b',
    check: 'imported_products',
    outcome: 'fail',
    required: true,
    message: 'x',
    numbers: {},
  };

  it('fails fast, even while baking', () => {
    expect(
      decideStage({
        siteVerdicts: [...pass('a'), fail],
        appliedSites: 2,
        bakeOver: false,
        secondsPastBake: 0,
        policy,
      }).decision,
    ).toBe('fail');
  });

  it('passes only after the bake with every site judged', () => {
    const both = [...pass('a'), ...pass('b')];
    expect(
      decideStage({
        siteVerdicts: both,
        appliedSites: 2,
        bakeOver: false,
        secondsPastBake: 0,
        policy,
      }).decision,
    ).toBe('wait');
    expect(
      decideStage({
        siteVerdicts: both,
        appliedSites: 2,
        bakeOver: true,
        secondsPastBake: 0,
        policy,
      }).decision,
    ).toBe('pass');
  });

  it('does not pass with a site missing or insufficient, and halts after the maximum wait', () => {
    const partial = [...pass('a'), insufficient('b')];
    expect(
      decideStage({
        siteVerdicts: partial,
        appliedSites: 2,
        bakeOver: true,
        secondsPastBake: 10,
        policy,
      }).decision,
    ).toBe('wait');
    expect(
      decideStage({
        siteVerdicts: pass('a'),
        appliedSites: 2,
        bakeOver: true,
        secondsPastBake: 10,
        policy,
      }).decision,
    ).toBe('wait');
    expect(
      decideStage({
        siteVerdicts: partial,
        appliedSites: 2,
        bakeOver: true,
        secondsPastBake: 3_600,
        policy,
      }).decision,
    ).toBe('insufficient');
    const patient = { ...policy, onInsufficientData: 'wait' as const };
    expect(
      decideStage({
        siteVerdicts: partial,
        appliedSites: 2,
        bakeOver: true,
        secondsPastBake: 99_999,
        policy: patient,
      }).decision,
    ).toBe('wait');
  });
});
