import { describe, expect, it } from 'vitest';
import { pipelineFor } from '../ingest/pipelines/index.ts';
import { demoFeed, demoSites } from './demo-fleet.ts';

const sites = demoSites();
const highLoad = sites.filter((s) => s.labels.load === 'high');
const feed = (site: (typeof sites)[number], importNumber: number) =>
  demoFeed({ siteKey: site.key, labels: site.labels, importNumber });
const shareWithoutGtin = (products: { gtin?: string }[]) =>
  products.filter((p) => !p.gtin).length / products.length;

describe('demo feeds', () => {
  it('are the same on every run', () => {
    expect(feed(sites[9]!, 7)).toEqual(feed(sites[9]!, 7));
  });

  it('change size by at most 2% between consecutive imports of a site', () => {
    let changed = 0;
    for (const site of sites) {
      const sizes = Array.from({ length: 20 }, (_, n) => feed(site, n + 1).length);
      for (let n = 1; n < sizes.length; n++) {
        const [a, b] = [sizes[n - 1]!, sizes[n]!];
        expect(
          Math.abs(b / a - 1),
          `${site.key} imports ${n} → ${n + 1}: ${a} → ${b}`,
        ).toBeLessThanOrEqual(0.02);
        if (a !== b) changed++;
      }
    }
    // Noise, not a constant: most consecutive imports differ.
    expect(changed).toBeGreaterThan(sites.length * 19 * 0.5);
  });

  it('give every load=high site 10–40% products without GTIN, and about a quarter of the others', () => {
    expect(highLoad).toHaveLength(20);
    for (const site of highLoad) {
      for (const n of [1, 2, 50]) {
        const share = shareWithoutGtin(feed(site, n));
        expect(share, site.key).toBeGreaterThanOrEqual(0.1);
        expect(share, site.key).toBeLessThanOrEqual(0.4);
      }
    }
    const others = sites.filter((s) => s.labels.load !== 'high');
    const messy = others.filter((s) => shareWithoutGtin(feed(s, 1)) > 0).length / others.length;
    expect(messy).toBeGreaterThan(0.15);
    expect(messy).toBeLessThan(0.35);
  });

  it('lose at least 10% of a load=high site’s products under v2 and none under v1 or v3', () => {
    const [v1, v2, v3] = ['v1', 'v2', 'v3'].map((v) => pipelineFor(v)!);
    for (const site of highLoad) {
      const items = feed(site, 3);
      const kept = (p: typeof v1) => p!.process(items).products.length;
      expect(kept(v1), site.key).toBe(items.length);
      expect(kept(v3), site.key).toBe(items.length);
      expect(kept(v2) / kept(v1), site.key).toBeLessThanOrEqual(0.9);
    }
  });
});
