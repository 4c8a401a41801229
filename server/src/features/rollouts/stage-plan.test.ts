import { describe, expect, it } from 'vitest';
import { demoSites } from '../../demo/demo-fleet.ts';
import { assignStages, blastRadius } from './stage-plan.ts';

const sites = demoSites(200).map((s) => ({
  key: s.key,
  pinnedVersion: s.version,
  labels: s.labels,
}));

describe('assigning sites to stages', () => {
  it('sizes percentage stages by their cumulative share, after the canaries', () => {
    const staged = assignStages({
      sites,
      stages: [{ count: 2 }, { percent: 10 }, { percent: 50 }, { percent: 100 }],
      seed: 'x',
    });
    const sizes = blastRadius({ staged, stageCount: 4, alreadyOnTarget: 0 }).stageSizes;
    expect(sizes).toEqual([2, 18, 80, 100]);
    expect(new Set(staged.map((s) => s.key)).size).toBe(200);
  });

  it('is deterministic for the same seed, and differs for another', () => {
    const stages = [{ count: 5 }, { percent: 100 }];
    const a = assignStages({ sites, stages, seed: 'v2:abc' }).filter((s) => s.stage === 0);
    const b = assignStages({ sites: [...sites].reverse(), stages, seed: 'v2:abc' }).filter(
      (s) => s.stage === 0,
    );
    const c = assignStages({ sites, stages, seed: 'v2:other' }).filter((s) => s.stage === 0);
    expect(b.map((s) => s.key)).toEqual(a.map((s) => s.key));
    expect(c.map((s) => s.key)).not.toEqual(a.map((s) => s.key));
  });

  it('spreads canaries across label values', () => {
    const canaries = assignStages({
      sites,
      stages: [{ count: 3 }, { percent: 100 }],
      seed: 's',
    }).filter((s) => s.stage === 0);
    for (const label of ['region', 'load']) {
      expect(new Set(canaries.map((s) => s.labels[label])).size, label).toBe(3);
    }
  });

  it('puts every site in some stage even when the canary stage asks for more than there are', () => {
    const few = sites.slice(0, 3);
    const staged = assignStages({
      sites: few,
      stages: [{ count: 5 }, { percent: 100 }],
      seed: 's',
    });
    expect(staged.map((s) => s.stage)).toEqual([0, 0, 0]);
  });
});
