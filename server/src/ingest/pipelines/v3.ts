import { readFeed } from './product.ts';
import type { Pipeline } from './product.ts';

/** v3: v1's output, with brand names tidied in the free-form attributes. */
export const v3: Pipeline = {
  version: 'v3',
  process(items, run) {
    const { products, rejected } = readFeed(items, run);
    for (const product of products) {
      if (typeof product.data.brand === 'string') product.data.brand = product.data.brand.trim();
    }
    return { products, rejected };
  },
};
