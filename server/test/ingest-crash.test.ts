// The ingestion API as a real process, killed with SIGKILL at random moments while it works
// through a backlog and while it repairs, and cut off from its control plane (a real process too):
// after a restart every journaled import is processed exactly once, every repair finishes, every
// catalog is what a clean replay of the journal gives, and nothing sent during an outage is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { eventually, request } from './http.ts';
import { catalogAt, catalogOf, feedFor, untilPinned } from './ingest-fixtures.ts';
import { controlPlaneSpec, ingestionSpec, processHome, startService } from './processes.ts';
import type { Service, ServiceSpec } from './processes.ts';

const adminToken = 'crash-admin-token-000000000';
const ingestToken = 'crash-ingest-token-00000000';
const importToken = 'crash-import-token-00000000';
/** Products per feed: enough that processing and repairing take real time. */
const feedSize = 2_000;

const keys = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);
const backlogSites = keys('backlog', 30);
const repairSites = keys('repair', 20);
const outageRepairSites = keys('outage-r', 10);
const outageSites = ['outage-v1', 'outage-v2'];

let cp: Service;
let ingest: Service;
let cpEnv: ServiceSpec;
let ingestEnv: ServiceSpec;
let cpDatabase: { url: string } | { dir: string };
const cleanups: (() => Promise<void>)[] = [];

/** Every import the ingestion API answered 202 to, in the order the answers came. */
type Accepted = { importId: string; siteKey: string; feed: number; position: number };
const accepted: Accepted[] = [];

const admin = (method: string, path: string, body?: unknown) =>
  request(cp.url, method, path, { token: adminToken, body });
const ingestApi = (method: string, path: string) =>
  request(ingest.url, method, path, { token: adminToken });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  const cpHome = await processHome('pinion-crash-cp-');
  const ingestHome = await processHome('pinion-crash-ingest-');
  cleanups.push(cpHome.remove, ingestHome.remove);
  cpDatabase = cpHome.databaseUrl ? { url: cpHome.databaseUrl } : { dir: `${cpHome.dir}/db` };
  cpEnv = await controlPlaneSpec({
    dir: cpHome.dir,
    databaseUrl: cpHome.databaseUrl,
    tokens: { admin: adminToken, ingest: ingestToken, import: importToken },
    env: { PINION_REVISION_POLL_MS: '100', PINION_ENGINE_TICK_MS: '100' },
  });
  cp = await startService(cpEnv);
  cleanups.push(() => cp.kill());
  const all = [...backlogSites, ...repairSites, ...outageRepairSites, ...outageSites];
  const created = await admin('POST', '/api/v1/sites/import', {
    sites: all.map((key) => ({ key, name: key })),
  });
  expect(created.status).toBe(201);

  // The same data directory (PGlite, saved pins, export files) or database after each kill.
  ingestEnv = await ingestionSpec({
    dir: ingestHome.dir,
    databaseUrl: ingestHome.databaseUrl,
    controlPlaneUrl: cp.url,
    token: ingestToken,
    env: {
      INGEST_REFRESH_MS: '200',
      INGEST_INSTANCE_ID: 'ingest-crash',
      INGEST_WORKERS: '4',
      // One site at a time: a repair of many sites lasts long enough to be killed in.
      INGEST_REPAIR_CONCURRENCY: '1',
      INGEST_REPAIR_POLL_MS: '300',
    },
  });
  ingest = await startService(ingestEnv);
  cleanups.push(() => ingest.kill());
  await untilPinned(ingest, all, 'v1', adminToken);
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** Posts feeds 1…n of each site, each site's in order, `parallel` sites at a time. */
async function postFeeds(sites: string[], feeds: number[], parallel = 6) {
  const queue = [...sites];
  const results: Accepted[] = [];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let site = queue.shift(); site; site = queue.shift()) {
        for (const n of feeds) {
          const res = await request(ingest.url, 'POST', `/ingest/v1/sites/${site}/imports`, {
            token: importToken,
            body: feedFor(site, n, feedSize),
          });
          expect(res.status, JSON.stringify(res.body)).toBe(202);
          expect(res.headers.get('location')).toBe(`/ingest/v1/imports/${res.body.importId}`);
          const entry = {
            importId: res.body.importId,
            siteKey: site,
            feed: n,
            position: res.body.position,
          };
          accepted.push(entry);
          results.push(entry);
        }
      }
    }),
  );
  return results;
}

/** Waits until the ingestion API holds every site as paused (or as not paused). */
async function untilPaused(sites: string[], paused: boolean) {
  await eventually(async () => {
    for (const site of sites) {
      const { body } = await ingestApi('GET', `/ingest/v1/pins/${site}`);
      if (body.paused !== paused) return undefined;
    }
    return true;
  }, 15_000);
}

/** Waits until the import is done and returns what the ingestion API shows of it. */
async function untilDone(importId: string, timeoutMs = 60_000) {
  return eventually(
    async () => {
      const { body } = await ingestApi('GET', `/ingest/v1/imports/${importId}`);
      return body.state === 'done' ? body : undefined;
    },
    timeoutMs,
    100,
  );
}

/** Waits until nothing is queued and checks that the journal holds exactly what got a 202. */
async function untilJournalProcessed(timeoutMs = 90_000) {
  const journal = await eventually(
    async () => {
      const { body } = await ingestApi('GET', '/ingest/v1/journal');
      return body.queued === 0 ? body : undefined;
    },
    timeoutMs,
    200,
  );
  expect(journal.failed).toBe(0);
  expect(journal.done).toBe(accepted.length);
}

/** A site's catalog compared with what `version` makes of its feed `n`: the clean replay. */
async function expectCatalog(siteKey: string, n: number, version: string) {
  const expected = catalogOf(feedFor(siteKey, n, feedSize), version);
  expect((await catalogAt(ingest.url, siteKey, adminToken)).length, siteKey).toBe(expected.length);
  expect(await catalogAt(ingest.url, siteKey, adminToken), siteKey).toEqual(expected);
}

/**
 * Damages `sites` as the incident did: one v1 import each, a rollout of v2 to all of them that
 * completes, two imports processed by v2, then a revert back to v1. Returns the rollout's id.
 */
async function damage(sites: string[]): Promise<number> {
  for (const entry of await postFeeds(sites, [1])) await untilDone(entry.importId);
  const planned = await admin('POST', '/api/v1/rollouts', {
    targetVersion: 'v2',
    siteKeys: sites,
    stages: [{ percent: 100 }],
    bake: { minBakeSeconds: 0, minImportsPerSite: 0 },
    checks: { enabled: false },
  });
  expect(planned.status, JSON.stringify(planned.body)).toBe(201);
  const r = planned.body;
  const started = await admin('POST', `/api/v1/rollouts/${r.id}/start`, {
    confirm: { count: r.targetCount, fingerprint: r.fingerprint },
  });
  expect(started.status).toBe(200);
  await eventually(
    async () =>
      (await admin('GET', `/api/v1/rollouts/${r.id}`)).body.state === 'completed' || undefined,
    30_000,
    100,
  );
  await untilPinned(ingest, sites, 'v2', adminToken);
  for (const entry of await postFeeds(sites, [2, 3])) {
    expect((await untilDone(entry.importId)).version).toBe('v2');
  }
  // The damage is real: v2 dropped every product without a GTIN.
  const v1 = catalogOf(feedFor(sites[0]!, 3, feedSize), 'v1');
  expect(catalogOf(feedFor(sites[0]!, 3, feedSize), 'v2').length).toBeLessThan(v1.length);
  await expectCatalog(sites[0]!, 3, 'v2');
  const reverted = await admin('POST', `/api/v1/rollouts/${r.id}/revert`, {
    reason: 'v2 drops products without a GTIN',
  });
  expect(reverted.status).toBe(200);
  expect(reverted.body.reverted).toBe(sites.length);
  // The repair replays with the pin this ingestion API holds: it must be v1 again first.
  await untilPinned(ingest, sites, 'v1', adminToken);
  return r.id;
}

async function repairOf(repairId: number) {
  const { body } = await admin('GET', `/api/v1/repairs/${repairId}`);
  return body as { state: string; counts: Record<string, number>; sites: any[] };
}
const finishedCount = (counts: Record<string, number>) => (counts.done ?? 0) + (counts.failed ?? 0);
const startedCount = (counts: Record<string, number>, total: number) =>
  total - (counts.queued ?? 0);

describe('kill -9 while imports are processed', () => {
  it('processes every journaled import exactly once, and every catalog is its last feed', async () => {
    // Everything is journaled first, the sites paused: 120 feeds of 2,000 products are held.
    const paused = await admin('POST', '/api/v1/sites/pause', {
      siteKeys: backlogSites,
      reason: 'build a backlog',
    });
    expect(paused.body.changed).toBe(backlogSites.length);
    await untilPaused(backlogSites, true);
    const feeds = [1, 2, 3, 4];
    const posted = await postFeeds(backlogSites, feeds);
    expect(posted).toHaveLength(backlogSites.length * feeds.length);
    // Journaled and held: nothing of it is processed yet.
    expect((await ingestApi('GET', '/ingest/v1/journal')).body.queued).toBe(posted.length);

    // Resumed, the backlog is worked through. Each life of the process is killed at a random
    // moment once it has committed something; when each import was processed tells afterwards
    // that every kill cut into the backlog.
    const journalDone = async () => (await ingestApi('GET', '/ingest/v1/journal')).body.done;
    await admin('POST', '/api/v1/sites/resume', { siteKeys: backlogSites, reason: 'go' });
    const lives: { from: number; to: number }[] = [];
    for (let kill = 0, from = Date.now(); kill < 3; kill++) {
      const before = await journalDone();
      await eventually(async () => ((await journalDone()) > before ? true : undefined), 30_000);
      await sleep(Math.random() * 400);
      await ingest.kill();
      lives.push({ from, to: Date.now() });
      from = Date.now();
      ingest = await startService(ingestEnv);
    }

    // No import lost, none left behind: the journal holds exactly the 202s, all done.
    await untilJournalProcessed();
    const views = new Map<string, any>();
    for (const entry of posted) {
      const { body } = await ingestApi('GET', `/ingest/v1/imports/${entry.importId}`);
      expect(body, entry.importId).toMatchObject({ state: 'done', version: 'v1' });
      views.set(entry.importId, body);
    }
    // Each kill cut into a backlog being worked through: that life of the process committed
    // imports, and imports were still queued when it died.
    const processedAt = [...views.values()].map((v) => Date.parse(v.processedAt));
    const cut = lives.map(({ from, to }) => ({
      during: processedAt.filter((t) => t >= from && t < to).length,
      after: processedAt.filter((t) => t >= to).length,
    }));
    console.log(
      `backlog of ${posted.length}: ${cut.map((c) => `${c.during} done, then kill -9 with ${c.after} to go`).join('; ')}`,
    );
    for (const c of cut) expect(c.during > 0 && c.after > 0, JSON.stringify(cut)).toBe(true);

    const bySite = Map.groupBy(posted, (entry) => entry.siteKey);
    for (const [site, entries] of bySite) {
      // Exactly once: each import published one catalog (an export run per processed import).
      const exportRuns = (await ingestApi('GET', `/ingest/v1/sites/${site}/exports?limit=1000`))
        .body.items;
      const published = exportRuns
        .filter((x: any) => x.trigger === 'import')
        .map((x: any) => x.position)
        .sort((a: number, b: number) => a - b);
      expect(published, site).toEqual(entries.map((e) => e.position).sort((a, b) => a - b));
      // The clean replay: the catalog is what v1 makes of the site's last journaled feed.
      await expectCatalog(site, 4, 'v1');

      // Exactly one report per import reaches the control plane, describing that one processing.
      const reports = await eventually(async () => {
        const { body } = await admin('GET', `/api/v1/sites/${site}/imports?limit=500`);
        return body.items.length >= entries.length ? body.items : undefined;
      }, 15_000);
      expect(reports.map((r: any) => r.importId).sort(), site).toEqual(
        entries.map((e) => e.importId).sort(),
      );
      for (const entry of entries) {
        const view = views.get(entry.importId);
        const report = reports.find((r: any) => r.importId === entry.importId);
        expect(report, view.id).toMatchObject({
          version: 'v1',
          received: feedSize + 1,
          imported: feedSize,
          rejected: 1,
          completedAt: view.processedAt,
          flagged: null,
        });
      }
    }
  }, 180_000);
});

describe('kill -9 while a repair runs', () => {
  it('finishes every site of the repair, each catalog a clean v1 replay of its journal', async () => {
    const rolloutId = await damage(repairSites);
    const startedRepair = await admin('POST', `/api/v1/rollouts/${rolloutId}/repair`, {
      reason: 'restore the catalogs',
    });
    expect(startedRepair.status).toBe(202);
    const repairId: number = startedRepair.body.id;

    // Kill whenever the control plane sees the repair move on, until it is finished.
    const total = repairSites.length;
    const killedAt: string[] = [];
    let seen = 0;
    for (let kill = 0; kill < 3; kill++) {
      const counts = await eventually(
        async () => {
          const { counts } = await repairOf(repairId);
          return startedCount(counts, total) > seen || finishedCount(counts) === total
            ? counts
            : undefined;
        },
        30_000,
        25,
      );
      if (finishedCount(counts) === total) break;
      await sleep(Math.random() * 300);
      await ingest.kill();
      seen = startedCount(counts, total);
      killedAt.push(`${finishedCount(counts)} finished/${seen} started`);
      ingest = await startService(ingestEnv);
    }
    console.log(`repair: killed at ${killedAt.join(', ')} of ${total} sites`);
    expect(killedAt.length).toBeGreaterThanOrEqual(2);

    const repair = await eventually(
      async () => {
        const r = await repairOf(repairId);
        return r.state === 'running' ? undefined : r;
      },
      60_000,
      100,
    );
    expect(repair.counts).toEqual({ done: total });
    expect(repair.state).toBe('done');
    for (const site of repair.sites) {
      expect(site, site.siteKey).toMatchObject({
        state: 'done',
        details: { version: 'v1', products: feedSize },
      });
    }
    for (const site of repairSites) await expectCatalog(site, 3, 'v1');
    // Nothing journaled was lost on the way.
    await untilJournalProcessed();
  }, 180_000);
});

describe('the control plane unreachable', () => {
  it('keeps journaling and processing with the last pins; reports and repair progress arrive when it returns', async () => {
    // The last pins the ingestion API hears of before the outage: outage-v2 moved to v2.
    const pinned = await admin('PUT', '/api/v1/sites/outage-v2/pin', {
      version: 'v2',
      reason: 'canary',
    });
    expect(pinned.status).toBe(200);
    await untilPinned(ingest, ['outage-v2'], 'v2', adminToken);
    const rolloutId = await damage(outageRepairSites);
    const startedRepair = await admin('POST', `/api/v1/rollouts/${rolloutId}/repair`, {
      reason: 'restore the catalogs',
    });
    expect(startedRepair.status).toBe(202);
    const repairId: number = startedRepair.body.id;
    const total = outageRepairSites.length;

    // Gone as soon as the ingestion API has claimed the repair and begun reporting progress. Killed,
    // not stopped: a control plane draining after SIGTERM keeps answering on open keep-alive
    // connections (the ingestion API's pin polls keep them busy) for its 10-second grace period.
    await eventually(
      async () => (startedCount((await repairOf(repairId)).counts, total) > 0 ? true : undefined),
      30_000,
      25,
    );
    await cp.kill();
    // What the control plane knew when it went away: sites whose progress was still to come.
    const atOutage = await openDatabase(cpDatabase);
    const pendingAtOutage = await atOutage.prisma.repairSite
      .count({ where: { repairId, state: { not: 'done' } } })
      .finally(() => atOutage.close());
    expect(pendingAtOutage).toBeGreaterThan(0);

    // Imports are still journaled (202) and processed with the last pins the API holds.
    const during = await postFeeds(outageSites, [1, 2]);
    for (const entry of during) {
      const view = await untilDone(entry.importId);
      expect(view.version, entry.siteKey).toBe(entry.siteKey === 'outage-v2' ? 'v2' : 'v1');
      expect(view.reportedAt, entry.importId).toBeNull();
    }
    await expectCatalog('outage-v1', 2, 'v1');
    await expectCatalog('outage-v2', 2, 'v2');
    // The claimed repair runs to its end meanwhile: every catalog is a clean v1 replay.
    await eventually(
      async () => {
        for (const site of outageRepairSites) await expectCatalog(site, 3, 'v1');
        return true;
      },
      60_000,
      250,
    );

    cp = await startService(cpEnv);
    const repair = await eventually(
      async () => {
        const r = await repairOf(repairId);
        return r.state === 'done' ? r : undefined;
      },
      30_000,
      100,
    );
    expect(repair.counts).toEqual({ done: total });
    // What the ingestion API did while the control plane was away, as it reported it afterwards.
    for (const site of repair.sites) {
      expect(site, site.siteKey).toMatchObject({
        details: { version: 'v1', replayed: 2, products: feedSize },
      });
    }
    for (const entry of during) {
      const reports = await eventually(async () => {
        const { body } = await admin('GET', `/api/v1/sites/${entry.siteKey}/imports`);
        return body.items.length === 2 ? body.items : undefined;
      }, 15_000);
      expect(
        reports.find((r: any) => r.importId === entry.importId),
        entry.importId,
      ).toMatchObject({
        version: entry.siteKey === 'outage-v2' ? 'v2' : 'v1',
        pinnedVersion: entry.siteKey === 'outage-v2' ? 'v2' : 'v1',
        flagged: null,
      });
    }
    await untilJournalProcessed();
  }, 180_000);
});
