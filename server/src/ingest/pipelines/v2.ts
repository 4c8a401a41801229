import { isValidGtin, readFeed } from './product.ts';
import type { Pipeline } from './product.ts';

/**
 * v2: a stricter normalisation that also requires a valid GTIN. Products without one are
 * dropped without being reported as rejected — exactly the kind of change that caused the
 * incident, kept here so the canary checks have something real to catch.
 */
export const v2: Pipeline = {
  version: 'v2',
  process(items, run) {
    const { products, rejected } = readFeed(items, run);
    return { products: products.filter((p) => isValidGtin(p.gtin)), rejected };
  },
};
