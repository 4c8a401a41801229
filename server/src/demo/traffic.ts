// Demo traffic: keeps posting each demo site's catalog feed to the ingestion API, the way a
// platform's import jobs would, so the dashboard and the canary analysis have live data.
//   node src/demo/traffic.ts [--ingest http://localhost:4243] [--interval-ms 5000] [--concurrency 4]
//                            [--token <import token>]
// The import token comes from --token, else PINION_IMPORT_TOKEN, else the one `npm start` keeps
// in .data/tokens.json.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { demoFeed, demoSites } from './demo-fleet.ts';

export type TrafficSite = { key: string; labels?: Record<string, string> };

export type ImportOutcome = {
  siteKey: string;
  importNumber: number;
  /**
   * imported = accepted into the journal (202; processed later, in order) — and, when imports are
   * followed, processed; refused = 409/503, the ingestion API's "retry later" (unknown site, no
   * pins yet); failed = any other answer, or a followed import whose pipeline failed.
   */
  outcome: 'imported' | 'refused' | 'failed' | 'unreachable';
  status?: number;
  code?: string;
  /** The journal state: queued when not followed (or still waiting, e.g. a paused site). */
  state?: string;
  /** Followed imports only: the version that processed it and what it produced. */
  version?: string;
  importId?: string;
  received?: number;
  imported?: number;
  message?: string;
};

export type TrafficStats = {
  /** Rounds in which every site had its turn. */
  rounds: number;
  sent: number;
  imported: number;
  refused: number;
  failed: number;
  unreachable: number;
  /** Turns passed over because the site's previous import was still under way. */
  skipped: number;
  inFlight: number;
  byVersion: Record<string, number>;
  byCode: Record<string, number>;
  lastProblem?: string;
};

export type DemoTraffic = { stop(): Promise<void>; stats(): TrafficStats };

/**
 * Posts every site's next feed once per interval, spreading the sites evenly over it, with at
 * most `concurrency` imports under way. Refusals and network errors (the ingestion API
 * restarting) are counted and the same import is tried again on the site's next turn.
 */
export function startDemoTraffic(options: {
  ingestUrl: string;
  /** An `import` token: it may post feeds and follow their imports. */
  token: string;
  sites: readonly TrafficSite[];
  intervalMs?: number;
  concurrency?: number;
  /** Import 1 is the one `npm start` seeds. */
  firstImportNumber?: number;
  requestTimeoutMs?: number;
  /**
   * Wait for each accepted import to be processed (polling its Location) and count it by the
   * version that processed it. A site's next import waits meanwhile, as a platform's import job
   * that wants the result would. Up to `followMs` (default 10 s); a longer wait (a paused site)
   * is counted as imported, state queued.
   */
  followImports?: boolean;
  followMs?: number;
  onImport?: (outcome: ImportOutcome) => void;
}): DemoTraffic {
  const intervalMs = options.intervalMs ?? 5_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const next = new Map<string, number>();
  const inFlight = new Map<string, Promise<void>>();
  const counts: Omit<TrafficStats, 'inFlight'> = {
    rounds: 0,
    sent: 0,
    imported: 0,
    refused: 0,
    failed: 0,
    unreachable: 0,
    skipped: 0,
    byVersion: {},
    byCode: {},
  };
  let stopped = false;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function send(site: TrafficSite) {
    const importNumber = next.get(site.key) ?? options.firstImportNumber ?? 2;
    counts.sent++;
    const outcome = await post({
      url: new URL(`/ingest/v1/sites/${encodeURIComponent(site.key)}/imports`, options.ingestUrl),
      token: options.token,
      feed: demoFeed({ siteKey: site.key, labels: site.labels, importNumber }),
      timeoutMs: options.requestTimeoutMs ?? 60_000,
      followMs: options.followImports ? (options.followMs ?? 10_000) : 0,
    });
    counts[outcome.outcome]++;
    if (outcome.version)
      counts.byVersion[outcome.version] = (counts.byVersion[outcome.version] ?? 0) + 1;
    if (outcome.code) counts.byCode[outcome.code] = (counts.byCode[outcome.code] ?? 0) + 1;
    if (outcome.outcome !== 'imported') counts.lastProblem = `${site.key}: ${outcome.message}`;
    // A refused or undelivered import is sent again; one the API processed is done with.
    if (outcome.outcome === 'imported' || outcome.outcome === 'failed')
      next.set(site.key, importNumber + 1);
    try {
      options.onImport?.({ siteKey: site.key, importNumber, ...outcome });
    } catch (err) {
      counts.lastProblem = `onImport threw: ${(err as Error).message}`;
    }
  }

  async function loop() {
    let roundStart = performance.now();
    while (!stopped) {
      for (const [i, site] of options.sites.entries()) {
        const wait = roundStart + (i * intervalMs) / options.sites.length - performance.now();
        if (wait > 0) await sleep(wait);
        while (!stopped && inFlight.size >= concurrency) await Promise.race(inFlight.values());
        if (stopped) return;
        if (inFlight.has(site.key)) {
          counts.skipped++;
          continue;
        }
        inFlight.set(
          site.key,
          send(site).finally(() => inFlight.delete(site.key)),
        );
      }
      counts.rounds++;
      // Behind schedule (a slow or restarting API): start the next round now, never in a burst.
      roundStart = Math.max(roundStart + intervalMs, performance.now());
      if (options.sites.length === 0) await sleep(intervalMs);
    }
  }

  const running = loop();
  let stopping: Promise<void> | undefined;
  return {
    /** Resolves once no request is under way and none will be sent. */
    stop() {
      stopping ??= (async () => {
        stopped = true;
        wake?.();
        await running;
        await Promise.all(inFlight.values());
      })();
      return stopping;
    },
    stats: () => ({
      ...counts,
      byVersion: { ...counts.byVersion },
      byCode: { ...counts.byCode },
      inFlight: inFlight.size,
    }),
  };
}

/** One import over HTTP; never throws: every way it can go is an outcome to count. */
async function post(options: {
  url: URL;
  token: string;
  feed: unknown[];
  timeoutMs: number;
  /** How long to follow an accepted import to its result (0: not at all). */
  followMs: number;
}): Promise<Omit<ImportOutcome, 'siteKey' | 'importNumber'>> {
  try {
    const res = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify(options.feed),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await res.text();
    const body = (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (res.status === 202 || res.status === 200) {
      const accepted: Omit<ImportOutcome, 'siteKey' | 'importNumber'> = {
        outcome: 'imported',
        status: res.status,
        importId: body.importId as string,
        state: body.state as string,
      };
      const location = res.headers.get('location');
      return options.followMs > 0 && location
        ? follow({
            ...accepted,
            url: new URL(location, options.url),
            token: options.token,
            followMs: options.followMs,
          })
        : accepted;
    }
    return {
      outcome: res.status === 409 || res.status === 503 ? 'refused' : 'failed',
      status: res.status,
      code: typeof body.code === 'string' ? body.code : `http_${res.status}`,
      message: typeof body.message === 'string' ? body.message : `HTTP ${res.status}`,
    };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { outcome: 'unreachable', message: cause?.code ?? (err as Error).message };
  }
}

/** Polls an accepted import until it is processed (or `followMs` passes: still queued). */
async function follow(
  options: Omit<ImportOutcome, 'siteKey' | 'importNumber'> & {
    url: URL;
    token: string;
    followMs: number;
  },
): Promise<Omit<ImportOutcome, 'siteKey' | 'importNumber'>> {
  const { url, token, followMs, ...accepted } = options;
  const deadline = performance.now() + followMs;
  for (let wait = 10; performance.now() < deadline; wait = Math.min(wait * 2, 250)) {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    const row = (await res.json()) as Record<string, unknown>;
    if (row.state === 'done' || row.state === 'failed') {
      return {
        ...accepted,
        outcome: row.state === 'done' ? 'imported' : 'failed',
        state: row.state,
        version: row.version as string,
        received: row.received as number,
        imported: row.imported as number,
        ...(row.state === 'failed'
          ? { code: 'pipeline_failed', message: String(row.failure) }
          : {}),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return accepted;
}

function formatStats(stats: TrafficStats): string {
  const versions = Object.entries(stats.byVersion)
    .sort()
    .map(([version, n]) => `${version} ${n}`)
    .join(', ');
  const codes = Object.entries(stats.byCode)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return [
    `round ${stats.rounds}`,
    `imported ${stats.imported}${versions ? ` (${versions})` : ''}`,
    `refused ${stats.refused}`,
    `failed ${stats.failed}`,
    `unreachable ${stats.unreachable}`,
    ...(codes ? [`codes: ${codes}`] : []),
    ...(stats.refused + stats.failed + stats.unreachable > 0 && stats.lastProblem
      ? [`last: ${stats.lastProblem}`]
      : []),
  ].join(' · ');
}

async function main() {
  const { values } = parseArgs({
    options: {
      ingest: {
        type: 'string',
        default: process.env.INGEST_URL ?? `http://localhost:${process.env.INGEST_PORT ?? 4243}`,
      },
      'interval-ms': { type: 'string', default: '5000' },
      concurrency: { type: 'string', default: '4' },
      token: { type: 'string' },
    },
  });
  const token = values.token ?? process.env.PINION_IMPORT_TOKEN ?? savedImportToken();
  if (!token) {
    console.error(
      'demo traffic: no import token: pass --token <import token>, set PINION_IMPORT_TOKEN, or run `npm start` first (it keeps one in .data/tokens.json)',
    );
    process.exit(2);
  }
  const intervalMs = Number(values['interval-ms']);
  const concurrency = Number(values.concurrency);
  if (
    !Number.isInteger(intervalMs) ||
    intervalMs < 100 ||
    !Number.isInteger(concurrency) ||
    concurrency < 1
  ) {
    console.error(
      'usage: node src/demo/traffic.ts [--ingest <url>] [--interval-ms <≥100>] [--concurrency <≥1>] [--token <import token>]',
    );
    process.exit(2);
  }
  const sites = demoSites();
  console.log(
    `demo traffic: ${sites.length} sites, each importing every ${intervalMs / 1000} s, to ${values.ingest} (Ctrl-C stops)`,
  );
  const traffic = startDemoTraffic({
    ingestUrl: values.ingest,
    token,
    sites,
    intervalMs,
    concurrency,
  });
  const printer = setInterval(() => console.log(formatStats(traffic.stats())), 5_000);
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    clearInterval(printer);
    console.log('demo traffic: stopping after the imports under way (Ctrl-C again to quit now)');
    await traffic.stop();
    console.log(formatStats(traffic.stats()));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** The import token `npm start` made and kept (scripts/start.ts). */
function savedImportToken(): string | undefined {
  const file = resolve(import.meta.dirname, '../../../.data/tokens.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { import?: string }).import;
}

if (import.meta.main) await main();
