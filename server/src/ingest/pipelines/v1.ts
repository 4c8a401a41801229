import { readFeed } from './product.ts';
import type { Pipeline } from './product.ts';

/** v1: keeps every valid product. */
export const v1: Pipeline = {
  version: 'v1',
  process: (items, run) => readFeed(items, run),
};
