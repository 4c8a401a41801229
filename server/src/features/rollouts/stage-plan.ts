// Pure planning: which stage reaches which site, and the blast radius. Deterministic: the same
// sites and stages always give the same assignment.
import { createHash } from 'node:crypto';
import type { ResolvedSite } from '../cohorts/resolve.ts';
import type { Stage } from './rollout-schemas.ts';

export type StagedSite = ResolvedSite & { stage: number };

const rank = (seed: string, key: string) =>
  createHash('sha1').update(seed).update(key).digest().readUInt32BE(0);

/** Canaries are chosen from this many sites at the head of the hashed order (greedy is n·m). */
const canaryWindow = 5_000;

/**
 * Orders sites by a seeded hash; a count stage takes its sites greedily so that each one adds
 * as many label values not yet covered as possible (canaries spread across tiers, regions…);
 * percentage stages take the rest in hash order up to their cumulative share.
 */
export function assignStages(options: {
  sites: ResolvedSite[];
  stages: Stage[];
  seed: string;
}): StagedSite[] {
  const { stages, seed } = options;
  const total = options.sites.length;
  // Hash each site once, then sort (hashing inside the comparator costs seconds at 100,000).
  const ordered = options.sites
    .map((site) => ({ site, rank: rank(seed, site.key) }))
    .sort((a, b) => a.rank - b.rank || (a.site.key < b.site.key ? -1 : 1))
    .map((r) => r.site);
  const staged: StagedSite[] = [];
  let rest = ordered;

  const first = stages[0];
  if (first && 'count' in first) {
    const window = rest.slice(0, Math.max(canaryWindow, first.count));
    const { picked, remaining } = spread(window, Math.min(first.count, total));
    staged.push(...picked.map((s) => ({ ...s, stage: 0 })));
    rest = [...remaining, ...rest.slice(window.length)];
  }
  stages.forEach((stage, index) => {
    if ('count' in stage) return;
    const upTo = Math.min(total, Math.ceil((stage.percent / 100) * total));
    const take = Math.max(0, upTo - staged.length);
    staged.push(...rest.slice(0, take).map((s) => ({ ...s, stage: index })));
    rest = rest.slice(take);
  });
  return staged;
}

function spread(sites: ResolvedSite[], count: number) {
  const covered = new Set<string>();
  const remaining = sites.map((site) => ({
    site,
    pairs: Object.entries(site.labels).map(([k, v]) => `${k}=${v}`),
  }));
  const picked: ResolvedSite[] = [];
  while (picked.length < count && remaining.length > 0) {
    let best = 0;
    let bestGain = -1;
    for (let i = 0; i < remaining.length; i++) {
      const candidate = remaining[i]!;
      const gain = candidate.pairs.filter((p) => !covered.has(p)).length;
      if (gain > bestGain) {
        best = i;
        bestGain = gain;
        if (gain === candidate.pairs.length) break;
      }
    }
    if (bestGain === 0) {
      // Every label value is covered: the rest of the canaries follow the hashed order.
      picked.push(...remaining.splice(0, count - picked.length).map((r) => r.site));
      break;
    }
    const [chosen] = remaining.splice(best, 1);
    for (const p of chosen!.pairs) covered.add(p);
    picked.push(chosen!.site);
  }
  return { picked, remaining: remaining.map((r) => r.site) };
}

export type BlastRadius = {
  byFromVersion: Record<string, number>;
  byLabel: Record<string, Record<string, number>>;
  stageSizes: number[];
  alreadyOnTarget: number;
};

export function blastRadius(options: {
  staged: StagedSite[];
  stageCount: number;
  alreadyOnTarget: number;
}): BlastRadius {
  const byFromVersion: Record<string, number> = {};
  const byLabel: Record<string, Record<string, number>> = {};
  const stageSizes = Array.from({ length: options.stageCount }, () => 0);
  for (const site of options.staged) {
    byFromVersion[site.pinnedVersion] = (byFromVersion[site.pinnedVersion] ?? 0) + 1;
    for (const [k, v] of Object.entries(site.labels)) {
      const values = (byLabel[k] ??= {});
      values[v] = (values[v] ?? 0) + 1;
    }
    stageSizes[site.stage]!++;
  }
  return { byFromVersion, byLabel, stageSizes, alreadyOnTarget: options.alreadyOnTarget };
}
