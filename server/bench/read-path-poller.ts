// A child process of bench/read-path.bench.ts: polls one URL every `everyMs`, as an SDK does, and
// records each answer's latency, status and ETag, so the parent's own work never delays a poll.
// Like an SDK, it sends the ETag of the last payload it received as If-None-Match.
// Started with `fork`; sends its samples back when the parent says 'stop'.
export type PollSample = { at: number; ms: number; status: number; etag: string | null };
export type PollerOptions = {
  url: string;
  headers: Record<string, string>;
  etag?: string;
  everyMs: number;
};

const options = JSON.parse(process.argv[2]!) as PollerOptions;
const samples: PollSample[] = [];
let stopped = false;
let held = options.etag;

process.on('message', (message) => {
  if (message !== 'stop') return;
  stopped = true;
});

while (!stopped) {
  const startedAt = performance.now();
  const at = Date.now();
  let status = 0;
  let etag: string | null = null;
  try {
    const res = await fetch(options.url, {
      headers: { ...options.headers, ...(held ? { 'if-none-match': held } : {}) },
    });
    await res.arrayBuffer();
    status = res.status;
    etag = res.headers.get('etag');
    if (res.status === 200 && etag) held = etag;
  } catch {
    // a refused or reset connection counts as a failed poll (status 0)
  }
  const ms = performance.now() - startedAt;
  samples.push({ at, ms, status, etag });
  const wait = options.everyMs - ms;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
process.send!(samples, () => process.exit(0));
