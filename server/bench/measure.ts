// Small timing helpers for benchmarks: figures are printed, never asserted.

/** Median ns per call, timing `batch` calls at a time over `rounds` rounds. */
export function nsPerCall(
  fn: (i: number) => unknown,
  options: { batch?: number; rounds?: number } = {},
): number {
  const batch = options.batch ?? 100_000;
  const rounds = options.rounds ?? 30;
  let sink = 0;
  for (let i = 0; i < batch; i++) sink += fn(i) ? 1 : 0; // warm up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) sink += fn(i) ? 1 : 0;
    samples.push(Number(process.hrtime.bigint() - start) / batch);
  }
  if (sink === -1) console.log(sink);
  return median(samples);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function ms<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

export const fmt = {
  ns: (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} µs` : `${n.toFixed(0)} ns`),
  ms: (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`,
  bytes: (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} kB`),
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
};

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows);
}
