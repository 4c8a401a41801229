import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { initialDraft, serverFieldErrors, toPlanBody } from './plan-draft';

describe('the plan form', () => {
  it('sends the server defaults for stages and bake, with the chosen options', () => {
    const { body, errors } = toPlanBody({
      ...initialDraft,
      targetVersion: 'v2',
      selector: '  tier=gold ',
      description: ' OPS-1 ',
      checksEnabled: false,
    });
    expect(errors).toEqual({});
    expect(body).toEqual({
      targetVersion: 'v2',
      selector: 'tier=gold',
      description: 'OPS-1',
      stages: [{ count: 2 }, { percent: 10 }, { percent: 50 }, { percent: 100 }],
      bake: { minBakeSeconds: 600, minImportsPerSite: 1 },
      checks: { enabled: false },
      revertPolicy: { automatic: true, pauseSites: false },
    });
  });

  it('sends a saved cohort by id instead of a selector', () => {
    const { body } = toPlanBody({
      ...initialDraft,
      targetVersion: 'v2',
      source: 'cohort',
      selector: 'ignored=yes',
      cohortId: '7',
    });
    expect(body).toMatchObject({ cohortId: 7 });
    expect(body).not.toHaveProperty('selector');
  });

  it('sends nothing while a field cannot be read, and says which', () => {
    const { body, errors } = toPlanBody({
      ...initialDraft,
      stages: [
        { kind: 'count', value: 'two' },
        { kind: 'percent', value: '100' },
      ],
      minBakeSeconds: '',
    });
    expect(body).toBeUndefined();
    expect(errors).toEqual({
      targetVersion: 'Choose the version to roll out.',
      selector: 'Write a selector, e.g. tier=enterprise,region in (eu).',
      'stages.0': 'Enter a number.',
      'bake.minBakeSeconds': 'Enter a number of seconds.',
    });
  });

  it("puts the server's complaints beside the fields they are about", () => {
    const error = new ApiError({
      status: 400,
      code: 'validation_failed',
      message: 'body.stages.2.percent: percentages must increase (5 after 10)',
      details: [
        { path: 'body.stages.2.percent', message: 'percentages must increase (5 after 10)' },
        { path: 'targetVersion', message: "version 'v0' is retired" },
        { path: 'body.bake.minBakeSeconds', message: 'Too big' },
        { path: 'body', message: 'all 4 selected sites are already on v2' },
        { path: 'body.checks.maxWaitSeconds', message: 'Too small' },
      ],
    });
    const { fields, rest } = serverFieldErrors(error, 'selector');
    expect(fields).toEqual({
      'stages.2': 'percentages must increase (5 after 10)',
      targetVersion: "version 'v0' is retired",
      'bake.minBakeSeconds': 'Too big',
      selector: 'all 4 selected sites are already on v2',
    });
    expect(rest).toEqual([{ path: 'body.checks.maxWaitSeconds', message: 'Too small' }]);
    expect(serverFieldErrors(error, 'cohort').fields).toHaveProperty(
      'cohortId',
      'all 4 selected sites are already on v2',
    );
  });

  it('says how many sites another rollout holds, not only the first', () => {
    const error = new ApiError({
      status: 409,
      code: 'site_in_rollout',
      message: 'site s-013 is already in active rollout r-3; finish or revert it first',
      details: ['s-013', 's-028', 's-029'].map((key) => ({
        path: 'sites',
        message: `${key} is in r-3`,
      })),
    });
    expect(serverFieldErrors(error, 'selector').fields).toEqual({
      selector: 's-013 is in r-3 (and 2 more)',
    });
  });
});
