// The incident's repair against the clock, with real processes: a control plane and an ingestion
// API (each with its own database), 1,000 demo sites, 10 journaled demo feeds per site — 4 on v1,
// then a rollout of the product-dropping v2 completed to every site and 6 more on v2 — and a
// revert. Timed: from POST /rollouts/:id/repair until GET /repairs/:id says every site is done.
// The ingestion API runs its real repair path (claim, restore the snapshot, replay the journal
// with the current pin, re-export, report progress). Afterwards, untimed, every site's catalog
// must equal what its version before the rollout (v1; v3 for the demo fleet's sites on v3) makes
// of its last feed, product by product: a repair that changes nothing fails the benchmark, it does
// not print a fast figure.
//
// Setup goes through the real import path (journal, workers, snapshots, exports), so it takes
// minutes: 10,000 imports. Settings, as a deployment on a 2-core machine would choose them:
// INGEST_WORKERS=4 (the default), INGEST_REPAIR_CONCURRENCY=8 (default 4), INGEST_REPAIR_POLL_MS=
// 1000 (default 2000), INGEST_REFRESH_MS=1000 (the default); each can be overridden by setting
// it. BENCH_REPAIR_SITES changes the number of sites (default 1,000).
import { demoFeed, demoSites } from '../src/demo/demo-fleet.ts';
import type { DemoSite } from '../src/demo/demo-fleet.ts';
import { pipelineFor } from '../src/ingest/pipelines/index.ts';
import { eventually, request } from '../test/http.ts';
import {
  controlPlaneSpec,
  ingestionSpec,
  processDatabaseUrl,
  startService,
  tempDir,
} from '../test/processes.ts';
import type { Service } from '../test/processes.ts';
import { fmt, ms, table } from './measure.ts';

const siteCount = Number(process.env.BENCH_REPAIR_SITES ?? 1_000);
const importsBefore = 4;
const importsOnV2 = 6;
const lastFeed = importsBefore + importsOnV2;
const postConcurrency = 8;
const settings = {
  INGEST_WORKERS: process.env.INGEST_WORKERS ?? '4',
  INGEST_REPAIR_CONCURRENCY: process.env.INGEST_REPAIR_CONCURRENCY ?? '8',
  INGEST_REPAIR_POLL_MS: process.env.INGEST_REPAIR_POLL_MS ?? '1000',
  INGEST_REFRESH_MS: process.env.INGEST_REFRESH_MS ?? '1000',
};
const seconds = (n: number) => `${(n / 1000).toFixed(1)} s`;

const admin = 'repair-admin-token-00000000';
const client = 'repair-client-token-0000000';
const ingestToken = 'repair-ingest-token-0000000';
const importToken = 'repair-import-token-0000000';

type RepairView = {
  state: 'running' | 'done' | 'failed';
  counts: Record<string, number>;
  sites: {
    siteKey: string;
    state: string;
    reason: string | null;
    details: { replayed?: number };
  }[];
};
type CatalogRow = {
  sku: string;
  name: string;
  gtin: string | null;
  price: string;
  data: Record<string, unknown>;
};

export async function repairBench() {
  const dir = await tempDir('pinion-repair-');
  const cpDb = await processDatabaseUrl();
  const ingestDb = await processDatabaseUrl();
  // Stopped in the finally block, also when the second one fails to start.
  const services: Service[] = [];
  try {
    const cp = await startService(
      await controlPlaneSpec({
        dir: `${dir.path}/control`,
        databaseUrl: cpDb?.url,
        tokens: { admin, client, ingest: ingestToken, import: importToken },
        // One operator plans all 1,000 sites without a second person's approval.
        env: { PINION_APPROVAL_THRESHOLD: String(siteCount * 10) },
      }),
    );
    services.push(cp);
    const ingest = await startService(
      await ingestionSpec({
        dir: `${dir.path}/ingest`,
        databaseUrl: ingestDb?.url,
        controlPlaneUrl: cp.url,
        token: ingestToken,
        readyPath: '/healthz',
        env: settings,
      }),
    );
    services.push(ingest);
    const api = async <T = unknown>(method: string, path: string, body?: unknown, status = 200) => {
      const res = await request<T>(cp.url, method, path, { token: admin, body });
      if (res.status !== status)
        throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const onIngest = async <T>(path: string) => {
      const res = await request<T>(ingest.url, 'GET', path, { token: admin });
      if (res.status !== 200)
        throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const fleet = demoSites(siteCount);
    let journaled = 0;

    /** Posts feeds `from`…`to` of every site (each site's in order) and waits until processed. */
    const importFeeds = async (from: number, to: number) => {
      const queue = [...fleet];
      const worker = async () => {
        for (let site = queue.shift(); site; site = queue.shift()) {
          for (let n = from; n <= to; n++) {
            const res = await request(ingest.url, 'POST', `/ingest/v1/sites/${site.key}/imports`, {
              token: importToken,
              body: demoFeed({ siteKey: site.key, labels: site.labels, importNumber: n }),
            });
            if (res.status !== 202)
              throw new Error(
                `import ${n} of ${site.key}: ${res.status} ${JSON.stringify(res.body)}`,
              );
          }
        }
      };
      await Promise.all(Array.from({ length: postConcurrency }, worker));
      journaled += fleet.length * (to - from + 1);
      await eventually(
        async () => {
          const j = await onIngest<{ queued: number; done: number; failed: number }>(
            '/ingest/v1/journal',
          );
          if (j.failed > 0) throw new Error(`${j.failed} imports failed`);
          return j.queued === 0 && j.done === journaled ? true : undefined;
        },
        600_000,
        250,
      );
    };
    /** Waits until the ingestion API's pins give every site `versionOf(site)`. */
    const pinsSeen = (versionOf: (site: DemoSite) => string) =>
      eventually(
        async () => {
          for (const site of fleet) {
            const pin = await onIngest<{ version?: string }>(`/ingest/v1/pins/${site.key}`);
            if (pin.version !== versionOf(site)) return undefined;
          }
          return true;
        },
        60_000,
        200,
      );
    /** Sites whose catalog is not what their version before the rollout makes of their last feed. */
    const wrongCatalogs = async (sites: DemoSite[]) => {
      const wrong: string[] = [];
      for (const site of sites) {
        const expected = pipelineFor(site.version)!
          .process(demoFeed({ siteKey: site.key, labels: site.labels, importNumber: lastFeed }))
          .products.map((p) => comparable(p))
          .sort();
        const catalog = await onIngest<{ count: number; products: CatalogRow[] }>(
          `/ingest/v1/sites/${site.key}/products?limit=10000`,
        );
        const actual = catalog.products.map((p) => comparable(p)).sort();
        if (catalog.count !== expected.length || actual.join('\n') !== expected.join('\n'))
          wrong.push(site.key);
      }
      return wrong;
    };

    const setup: Record<string, number> = {};
    const phase = async <T>(name: string, fn: () => Promise<T>) => {
      const [value, took] = await ms(fn);
      setup[name] = took;
      return value;
    };
    const [rolloutId, setupMs] = await ms(async () => {
      await phase('sites', async () => {
        await api('POST', '/api/v1/sites/import', { sites: fleet }, 201);
        await pinsSeen((site) => site.version);
      });
      await phase('v1 imports', () => importFeeds(1, importsBefore));

      const plan = await phase('rollout', async () => {
        const plan = await api<{ id: number; targetCount: number; fingerprint: string }>(
          'POST',
          '/api/v1/rollouts',
          {
            targetVersion: 'v2',
            siteKeys: fleet.map((s) => s.key),
            stages: [{ percent: 100 }],
            bake: { minBakeSeconds: 0, minImportsPerSite: 0 },
            checks: { enabled: false },
          },
          201,
        );
        await api('POST', `/api/v1/rollouts/${plan.id}/start`, {
          confirm: { count: plan.targetCount, fingerprint: plan.fingerprint },
        });
        await eventually(
          async () =>
            (await api<{ state: string }>('GET', `/api/v1/rollouts/${plan.id}`)).state ===
            'completed'
              ? true
              : undefined,
          60_000,
          100,
        );
        await pinsSeen(() => 'v2');
        return plan;
      });
      await phase('v2 imports', () => importFeeds(importsBefore + 1, lastFeed));
      await phase('revert', async () => {
        await api('POST', `/api/v1/rollouts/${plan.id}/revert`, {
          reason: 'customers report missing products',
        });
        // A task waits until this process holds a pin other than v2 (the executor's blockedBy);
        // waiting here keeps that pin poll, up to INGEST_REFRESH_MS, out of the timed part.
        await pinsSeen((site) => site.version);
      });
      return plan.id;
    });

    // A repair that the benchmark cannot tell from no repair would measure nothing.
    const damaged = await wrongCatalogs(fleet);
    if (damaged.length === 0) throw new Error('no catalog was damaged by v2: nothing to repair');

    const started = performance.now();
    const repair = await api<{ id: number }>(
      'POST',
      `/api/v1/rollouts/${rolloutId}/repair`,
      { reason: 'bench' },
      202,
    );
    let firstDoneMs: number | undefined;
    const result = await eventually(
      async () => {
        const view = await api<RepairView>('GET', `/api/v1/repairs/${repair.id}`);
        if (firstDoneMs === undefined && (view.counts.done ?? 0) > 0)
          firstDoneMs = performance.now() - started;
        return view.state === 'running' ? undefined : view;
      },
      1_800_000,
      250,
    );
    const totalMs = performance.now() - started;

    const done = result.counts.done ?? 0;
    const replayed = result.sites.reduce((sum, s) => sum + (s.details.replayed ?? 0), 0);
    if (result.state !== 'done' || done !== fleet.length) {
      const failed = result.sites.filter((s) => s.state === 'failed').slice(0, 5);
      throw new Error(
        `repair ended ${result.state}: ${JSON.stringify(result.counts)}; e.g. ${JSON.stringify(failed)}`,
      );
    }
    if (replayed !== fleet.length * importsOnV2)
      throw new Error(`replayed ${replayed} imports, expected ${fleet.length * importsOnV2}`);
    const [stillWrong, verifyMs] = await ms(() => wrongCatalogs(fleet));
    if (stillWrong.length > 0)
      throw new Error(
        `${stillWrong.length} catalogs are not what their version makes of their last feed after the repair, e.g. ${stillWrong.slice(0, 5).join(', ')}`,
      );
    for (const siteKey of damaged.slice(0, 20)) {
      const exports = await onIngest<{ items: { trigger: string }[] }>(
        `/ingest/v1/sites/${siteKey}/exports`,
      );
      if (!exports.items.some((e) => e.trigger === 'repair'))
        throw new Error(`${siteKey} was not re-exported after its repair`);
    }

    console.log(
      `\nRepair of ${fmt.int(fleet.length)} sites (${cpDb ? 'PostgreSQL' : 'PGlite'}; real processes; ` +
        `${importsBefore} imports on v1 + ${importsOnV2} on v2 per site; ` +
        `${Object.entries(settings)
          .map(([name, value]) => `${name}=${value}`)
          .join(' ')})`,
    );
    table([
      {
        measure: `setup: ${fmt.int(journaled)} imports journaled and processed, rollout, revert`,
        value: `${seconds(setupMs)} (${Object.entries(setup)
          .map(([name, took]) => `${name} ${seconds(took)}`)
          .join(', ')})`,
      },
      { measure: 'catalogs damaged by v2 before the repair', value: fmt.int(damaged.length) },
      { measure: 'POST /repair → first site done', value: seconds(firstDoneMs ?? totalMs) },
      { measure: 'POST /repair → every site done (target: under 60 s)', value: seconds(totalMs) },
      { measure: 'sites per second', value: (fleet.length / (totalMs / 1000)).toFixed(1) },
      { measure: 'journaled imports replayed', value: fmt.int(replayed) },
      {
        measure: 'catalogs equal to their version of the last feed afterwards (untimed check)',
        value: `${fmt.int(fleet.length)} of ${fmt.int(fleet.length)} (${seconds(verifyMs)})`,
      },
    ]);
  } finally {
    for (const service of services.reverse()) await service.stop();
    await dir.remove();
    await cpDb?.drop();
    await ingestDb?.drop();
  }
}

/** A product as a string to compare: `price` as a number (the API returns a decimal). */
function comparable(p: CatalogRow) {
  const data = Object.entries(p.data).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([p.sku, p.name, p.gtin, Number(p.price), data]);
}

if (import.meta.main) await repairBench();
