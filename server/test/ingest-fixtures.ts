// Feeds and catalog comparisons shared by the ingestion tests.
import { gtin13 } from '../src/demo/demo-fleet.ts';
import { pipelineFor } from '../src/ingest/pipelines/index.ts';
import { initialTokens } from './control-plane.ts';
import { eventually, request } from './http.ts';

/**
 * Feed `n` of a site: 20–39 products whose names and prices change with `n`, every third without
 * a GTIN (v2 drops those), one invalid product (no price) that every version rejects.
 */
export function feedFor(siteKey: string, n: number, size?: number) {
  const count = size ?? 20 + ((n * 7 + siteKey.length) % 20);
  const products: Record<string, unknown>[] = Array.from({ length: count }, (_, i) => ({
    sku: `${siteKey}-${String(i).padStart(4, '0')}`,
    name: `Product ${i} of feed ${n}`,
    price: ((i + 1) * (n + 3)) % 1000,
    ...(i % 3 === 0 ? {} : { gtin: gtin13(i * 1000 + n) }),
    stock: (i * n) % 17,
  }));
  products.push({ sku: `${siteKey}-bad`, name: 'no price' });
  return products;
}

export type CatalogRow = { sku: string; name: string; gtin: string | null; price: string };

/** What `version`'s pipeline makes of a feed, in catalog order (by SKU). */
export function catalogOf(feed: unknown[], version: string): CatalogRow[] {
  return normalized(pipelineFor(version)!.process(feed).products);
}

/** Products compared field by field; prices as two decimals whatever their source. */
export function normalized(
  products: { sku: string; name: string; gtin: string | null; price: string | number }[],
): CatalogRow[] {
  return products
    .map((p) => ({ sku: p.sku, name: p.name, gtin: p.gtin, price: Number(p.price).toFixed(2) }))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/** A site's catalog as the ingestion API at `url` serves it (read with a staff token). */
export async function catalogAt(
  url: string,
  siteKey: string,
  token = initialTokens.admin,
): Promise<CatalogRow[]> {
  const { body } = await request(url, 'GET', `/ingest/v1/sites/${siteKey}/products?limit=10000`, {
    token,
  });
  return normalized(body.products);
}

/** Waits until the ingestion API holds a pin for every site. */
export async function untilPinned(
  ingest: { url: string },
  sites: string[],
  version?: string,
  token = initialTokens.admin,
) {
  await eventually(async () => {
    for (const site of sites) {
      const { body } = await request(ingest.url, 'GET', `/ingest/v1/pins/${site}`, { token });
      if (body.status !== 'pinned' || (version && body.version !== version)) return undefined;
    }
    return true;
  }, 15_000);
}
