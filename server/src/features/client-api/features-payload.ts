// The Unleash client API payload: pins and pauses as `siteIds` strategies. Pure functions, so
// the exact shape is unit-tested without a server.

export const versionFlag = 'platform-api-version';
export const pausedFlag = 'platform-api-paused';

export type SiteState = { key: string; pinnedVersion: string; paused: boolean };

type Strategy = {
  name: 'siteIds';
  parameters: { siteIds: string };
  constraints: [];
  variants: {
    name: string;
    weight: number;
    stickiness: 'default';
    payload: { type: 'string'; value: string };
  }[];
};

type Feature = {
  name: string;
  type: 'release' | 'kill-switch';
  description: string;
  enabled: boolean;
  stale: false;
  impressionData: false;
  project: 'default';
  strategies: Strategy[];
  variants: [];
};

export type FeaturesPayload = {
  version: 2;
  features: Feature[];
  segments: [];
  query: Record<string, never>;
  meta: { revisionId: number; etag: string; queryHash: string };
};

const byVersionName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export function etagFor(revision: bigint): string {
  return `"${revision}"`;
}

/**
 * One strategy per version (stable order), listing its sites, with the version as the variant
 * payload. A site in no list is unknown: the reader must refuse it, never guess a version.
 */
export function buildFeatures(options: { revision: bigint; sites: SiteState[] }): FeaturesPayload {
  const byVersion = new Map<string, string[]>();
  const paused: string[] = [];
  for (const site of options.sites) {
    let keys = byVersion.get(site.pinnedVersion);
    if (!keys) byVersion.set(site.pinnedVersion, (keys = []));
    keys.push(site.key);
    if (site.paused) paused.push(site.key);
  }
  const versionStrategies = [...byVersion.keys()].sort(byVersionName).map((version): Strategy => ({
    name: 'siteIds',
    parameters: { siteIds: byVersion.get(version)!.join(',') },
    constraints: [],
    variants: [
      {
        name: version,
        weight: 1000,
        stickiness: 'default',
        payload: { type: 'string', value: version },
      },
    ],
  }));
  return {
    version: 2,
    features: [
      {
        name: versionFlag,
        type: 'release',
        description: 'The API version each site is pinned to (variant payload)',
        enabled: true,
        stale: false,
        impressionData: false,
        project: 'default',
        strategies: versionStrategies,
        variants: [],
      },
      {
        name: pausedFlag,
        type: 'kill-switch',
        description: 'Sites whose imports are held until they are resumed',
        // An enabled flag without strategies is on for everyone; an empty list must mean no one.
        enabled: paused.length > 0,
        stale: false,
        impressionData: false,
        project: 'default',
        strategies: [
          {
            name: 'siteIds',
            parameters: { siteIds: paused.join(',') },
            constraints: [],
            variants: [],
          },
        ],
        variants: [],
      },
    ],
    segments: [],
    query: {},
    meta: { revisionId: Number(options.revision), etag: etagFor(options.revision), queryHash: '' },
  };
}
