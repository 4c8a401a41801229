// Deterministic demo data: the same 200 sites and the same feeds on every machine, so a person
// following the README and a test see the same fleet.

/** A small seeded PRNG (mulberry32): demo data must not change between runs. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, items: readonly T[]): T =>
  items[Math.floor(rnd() * items.length)]!;

const words = [
  'Nordic',
  'Alpine',
  'Harbor',
  'Cedar',
  'Summit',
  'Lumen',
  'Orbit',
  'Maple',
  'Coral',
  'Atlas',
];
const kinds = ['Outfitters', 'Market', 'Supply', 'Goods', 'Home', 'Sports', 'Books', 'Garden'];

export type DemoSite = {
  key: string;
  name: string;
  labels: Record<string, string>;
  version: string;
};

/**
 * 200 sites across tiers and regions. Exactly 20 carry `load=high` — the cohort of the incident
 * drill — and ten are already on v3.
 */
export function demoSites(count = 200): DemoSite[] {
  const rnd = random(42);
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    return {
      key: `s-${String(n).padStart(3, '0')}`,
      name: `${pick(rnd, words)} ${pick(rnd, kinds)} ${n}`,
      labels: {
        tier: pick(rnd, ['enterprise', 'business', 'business', 'starter', 'starter', 'starter']),
        region: pick(rnd, ['eu', 'eu', 'us', 'us', 'apac']),
        load: n % 10 === 0 ? 'high' : pick(rnd, ['normal', 'normal', 'low']),
        ...(n % 7 === 0 ? { beta: 'true' } : {}),
      },
      version: n % 20 === 3 ? 'v3' : 'v1',
    };
  });
}

export type DemoProduct = {
  sku: string;
  name: string;
  price: number;
  gtin?: string;
  brand: string;
  stock: number;
};

/** A valid GTIN-13 from a number (GS1 check digit). */
export function gtin13(value: number): string {
  const body = String(value).padStart(12, '0').slice(-12);
  const sum = [...body].reverse().reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return body + ((10 - (sum % 10)) % 10);
}

/** The size of one import stays within ±0.99% of the site's usual size, so any two imports
 * of a site differ by at most 2%: noise well inside the 5% drop the canary analysis fails on. */
const sizeNoise = 0.0099;

/**
 * A site's catalog feed for one import. Every `load=high` site (the incident's sites) and about
 * one other site in four sell 12–40% of their products without a GTIN, which v2 silently drops.
 * The same products lack a GTIN in every import, so only the version changes what is imported.
 */
export function demoFeed(options: {
  siteKey: string;
  importNumber: number;
  labels?: Record<string, string>;
}): DemoProduct[] {
  const siteSeed = [...options.siteKey].reduce((acc, c) => acc * 31 + c.charCodeAt(0), 7) >>> 0;
  const site = random(siteSeed);
  const base = 50 + Math.floor(site() * 450);
  const messy = site() < 0.25 || options.labels?.load === 'high';
  const withoutGtin = messy ? 0.12 + site() * 0.28 : 0;
  const offset = site();
  const churn = random(siteSeed ^ (options.importNumber * 2654435761));
  const smallest = Math.ceil(base * (1 - sizeNoise));
  const largest = Math.floor(base * (1 + sizeNoise));
  const size = smallest + Math.floor(churn() * (largest - smallest + 1));
  return Array.from({ length: size }, (_, i) => {
    const item = random(siteSeed + i);
    // Spread evenly (as a line is drawn on a pixel grid): an exact share of any feed's products.
    const gtinMissing =
      Math.floor((i + 1) * withoutGtin + offset) > Math.floor(i * withoutGtin + offset);
    return {
      sku: `${options.siteKey}-${String(i).padStart(5, '0')}`,
      name: `${pick(item, words)} ${pick(item, ['mug', 'jacket', 'lamp', 'chair', 'kettle', 'boots'])} ${i}`,
      price: Math.round(item() * 20_000) / 100,
      ...(gtinMissing ? {} : { gtin: gtin13(siteSeed * 1000 + i) }),
      brand: pick(item, words),
      stock: Math.floor(churn() * 100),
    };
  });
}
