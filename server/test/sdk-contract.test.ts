import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Unleash } from 'unleash-client';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFeatures } from '../src/features/client-api/features-payload.ts';
import { indexPins } from '../src/ingest/pin-index.ts';
import type { FlagDefinition } from '../src/ingest/pin-index.ts';
import { SiteIdsStrategy } from '../src/ingest/site-ids-strategy.ts';

// The control plane's payload builder is used here only to produce realistic input for the SDK.
const sites = Array.from({ length: 3_000 }, (_, i) => ({
  key: `s-${i}`,
  pinnedVersion: `v${(i % 3) + 1}`,
  paused: i % 100 === 0,
}));
const payload = buildFeatures({ revision: 7n, sites });

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The stock SDK, bootstrapped with the payload and not talking to any server. */
async function sdk() {
  dir = await mkdtemp(join(tmpdir(), 'pinion-sdk-'));
  const unleash = new Unleash({
    url: 'http://127.0.0.1:9/api/',
    appName: 'test',
    refreshInterval: 0,
    disableMetrics: true,
    backupPath: dir,
    strategies: [new SiteIdsStrategy()],
    bootstrap: { data: payload.features as never },
    skipInstanceCountWarning: true,
  });
  await new Promise((resolve) => unleash.once('ready', resolve));
  return unleash;
}

describe('reading pins with the stock unleash-client', () => {
  it('evaluates the siteIds strategy to each site’s pinned version', async () => {
    const unleash = await sdk();
    for (const site of sites.slice(0, 300)) {
      const variant = unleash.getVariant('platform-api-version', {
        properties: { siteId: site.key },
      });
      expect(variant).toMatchObject({
        name: site.pinnedVersion,
        enabled: true,
        payload: { value: site.pinnedVersion },
      });
      expect(unleash.isEnabled('platform-api-paused', { properties: { siteId: site.key } })).toBe(
        site.paused,
      );
    }
    expect(
      unleash.getVariant('platform-api-version', { properties: { siteId: 'stranger' } }).enabled,
    ).toBe(false);
    unleash.destroy();
  });

  it('indexes the same answers into one map', async () => {
    const unleash = await sdk();
    const index = indexPins(
      unleash.getFeatureToggleDefinition('platform-api-version') as FlagDefinition,
      unleash.getFeatureToggleDefinition('platform-api-paused') as FlagDefinition,
    );
    expect(Object.keys(index)).toHaveLength(sites.length);
    for (const site of sites) {
      expect(index[site.key]).toEqual({
        status: 'pinned',
        version: site.pinnedVersion,
        paused: site.paused,
      });
    }
    expect(index.stranger).toBeUndefined();
    expect(index.constructor).toBeUndefined();
    unleash.destroy();
  });

  it('treats a disabled paused flag as nobody paused', () => {
    const version = {
      enabled: true,
      strategies: [
        {
          name: 'siteIds',
          parameters: { siteIds: 's-1' },
          variants: [{ payload: { value: 'v1' } }],
        },
      ],
    };
    const paused = {
      enabled: false,
      strategies: [{ name: 'siteIds', parameters: { siteIds: 's-1' } }],
    };
    expect(indexPins(version, paused)['s-1']).toEqual({
      status: 'pinned',
      version: 'v1',
      paused: false,
    });
  });
});
