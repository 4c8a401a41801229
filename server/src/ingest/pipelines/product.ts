// What every pipeline version agrees a product is. Versions differ in what they keep.

export type Product = {
  sku: string;
  name: string;
  gtin: string | null;
  /** Two decimals, as stored. */
  price: string;
  data: Record<string, unknown>;
};

export type Rejection = { index: number; sku?: string; reason: string };
export type PipelineResult = {
  products: Product[];
  rejected: Rejection[];
  /** Products that failed in processing (a fault of the pipeline, not of the feed). */
  errors?: number;
};

/**
 * One feed on its way through a pipeline. A large feed reaches the pipeline in batches, in feed
 * order, all with the same run: where the batch starts in the feed, and the SKUs already kept.
 */
export type FeedRun = { offset: number; skus: Set<string> };

export interface Pipeline {
  readonly version: string;
  /** Processes the next batch of a feed (`run` omitted: `items` is the whole feed). */
  process(items: unknown[], run?: FeedRun): PipelineResult;
}

const known = new Set(['sku', 'name', 'gtin', 'price']);

/** The checks every version applies: a product needs a SKU, a name and a non-negative price. */
export function readProduct(item: unknown): Product | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'not an object';
  const raw = item as Record<string, unknown>;
  const sku =
    typeof raw.sku === 'string' || typeof raw.sku === 'number' ? String(raw.sku).trim() : '';
  if (!sku) return 'sku is missing';
  if (sku.length > 100) return 'sku is longer than 100 characters';
  const name = typeof raw.name === 'string' ? raw.name.replace(/\s+/g, ' ').trim() : '';
  if (!name) return 'name is missing';
  const price =
    typeof raw.price === 'string' && raw.price.trim() !== '' ? Number(raw.price) : raw.price;
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0 || price >= 1e10) {
    return 'price must be a number from 0 to 9,999,999,999';
  }
  const gtin =
    typeof raw.gtin === 'string' || typeof raw.gtin === 'number'
      ? String(raw.gtin).trim() || null
      : null;
  const data = Object.fromEntries(Object.entries(raw).filter(([key]) => !known.has(key)));
  return { sku, name, gtin, price: price.toFixed(2), data };
}

/** Runs `readProduct` over a feed (or a batch of one), keeping the first of duplicate SKUs. */
export function readFeed(items: unknown[], run?: FeedRun): PipelineResult {
  const products: Product[] = [];
  const rejected: Rejection[] = [];
  const seen = run?.skus ?? new Set<string>();
  const offset = run?.offset ?? 0;
  items.forEach((item, i) => {
    const index = offset + i;
    const product = readProduct(item);
    if (typeof product === 'string') return void rejected.push({ index, reason: product });
    if (seen.has(product.sku))
      return void rejected.push({ index, sku: product.sku, reason: 'duplicate sku in this feed' });
    seen.add(product.sku);
    products.push(product);
  });
  return { products, rejected };
}

/** GS1 check digit for GTIN-8/12/13/14. */
export function isValidGtin(gtin: string | null): boolean {
  if (!gtin || !/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin)) return false;
  const digits = [...gtin].map(Number);
  const check = digits.pop()!;
  const sum = digits.reverse().reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}
