import { describe, expect, it } from 'vitest';
import { pipelineFor } from './index.ts';
import { isValidGtin } from './product.ts';

const feed = [
  { sku: 'A-1', name: '  Blue   mug ', price: 12.5, gtin: '4006381333931', brand: ' Acme ' },
  { sku: 'A-2', name: 'Red mug', price: '7', gtin: '' },
  { sku: 'A-3', name: 'Green mug', price: 3, gtin: '4006381333932' },
  { sku: 'A-4', name: 'No price' },
  { sku: 'A-1', name: 'Duplicate', price: 1, gtin: '4006381333931' },
  'not a product',
];

describe('pipelines', () => {
  it('v1 keeps every valid product and rejects the invalid ones with reasons', () => {
    const { products, rejected } = pipelineFor('v1')!.process(feed);
    expect(products.map((p) => p.sku)).toEqual(['A-1', 'A-2', 'A-3']);
    expect(products[0]).toMatchObject({
      name: 'Blue mug',
      price: '12.50',
      gtin: '4006381333931',
      data: { brand: ' Acme ' },
    });
    expect(rejected).toEqual([
      { index: 3, reason: 'price must be a number from 0 to 9,999,999,999' },
      { index: 4, sku: 'A-1', reason: 'duplicate sku in this feed' },
      { index: 5, reason: 'not an object' },
    ]);
  });

  it('v2 silently drops products without a valid GTIN (the incident)', () => {
    const { products, rejected } = pipelineFor('v2')!.process(feed);
    expect(products.map((p) => p.sku)).toEqual(['A-1']);
    // Not counted as rejected: that is what made the drop silent.
    expect(rejected).toHaveLength(3);
  });

  it('v3 produces the same catalog as v1', () => {
    const strip = (ps: { sku: string; name: string; gtin: string | null; price: string }[]) =>
      ps.map(({ sku, name, gtin, price }) => ({ sku, name, gtin, price }));
    expect(strip(pipelineFor('v3')!.process(feed).products)).toEqual(
      strip(pipelineFor('v1')!.process(feed).products),
    );
  });

  it('knows no pipeline for an unknown version', () => {
    expect(pipelineFor('v9')).toBeUndefined();
  });

  it('checks GTIN check digits', () => {
    expect(isValidGtin('4006381333931')).toBe(true);
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('96385074')).toBe(true);
    expect(isValidGtin('12345')).toBe(false);
    expect(isValidGtin(null)).toBe(false);
  });
});
