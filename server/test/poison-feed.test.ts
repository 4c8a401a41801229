// Issue 8's "one poison feed blinds the whole fleet", with real processes: a site's journal holds
// a feed PostgreSQL cannot store (journaled by an older version, before the door refused such
// text) and the failed entry that version left with `received` and `durationMs` null; another
// holds an import of a site the control plane no longer knows. Normal feeds then arrive for five
// other sites. All five reports reach the control plane; the poison imports arrive as failed
// imports with complete fields; the report of the unknown site is refused alone, and settled.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { eventually, request } from './http.ts';
import { feedFor, untilPinned } from './ingest-fixtures.ts';
import { controlPlaneSpec, ingestionSpec, processHome, startService } from './processes.ts';
import type { Service } from './processes.ts';

const adminToken = 'poison-admin-token-0000000';
const ingestToken = 'poison-ingest-token-000000';
const importToken = 'poison-import-token-000000';
const healthy = ['fine-1', 'fine-2', 'fine-3', 'fine-4', 'fine-5'];
const poisoned = 'poisoned';

let cp: Service;
let ingest: Service;
const cleanups: (() => Promise<void>)[] = [];
const journal = { queuedPoison: randomUUID(), oldFailure: randomUUID(), ghost: randomUUID() };

const admin = (method: string, path: string, body?: unknown) =>
  request(cp.url, method, path, { token: adminToken, body });

beforeAll(async () => {
  const cpHome = await processHome('pinion-poison-cp-');
  const ingestHome = await processHome('pinion-poison-ingest-');
  cleanups.push(cpHome.remove, ingestHome.remove);
  cp = await startService(
    await controlPlaneSpec({
      dir: cpHome.dir,
      databaseUrl: cpHome.databaseUrl,
      tokens: { admin: adminToken, ingest: ingestToken, import: importToken },
    }),
  );
  cleanups.push(() => cp.kill());
  const created = await admin('POST', '/api/v1/sites/import', {
    sites: [poisoned, ...healthy].map((key) => ({ key, name: key })),
  });
  expect(created.status).toBe(201);

  // The journal as an older version left it, written before the ingestion API starts.
  const database = await openDatabase(
    ingestHome.databaseUrl ? { url: ingestHome.databaseUrl } : { dir: `${ingestHome.dir}/db` },
  );
  try {
    await applyMigrations(database);
    const db = database.prisma;
    const at = new Date();
    await db.$executeRaw`
      INSERT INTO ingest_imports (id, site_key, content_type, payload, state, received_at, created_at)
      VALUES (${journal.queuedPoison}, ${poisoned}, 'application/json',
              ${'[{"sku":"P-1","name":"Mug \\u0000","price":3}]'}, 'queued', ${at}, ${at})`;
    await db.$executeRaw`
      INSERT INTO ingest_imports (id, site_key, payload, state, version, failed, failure, imported,
                                  rejected, processed_at, received_at, created_at)
      VALUES (${journal.oldFailure}, ${poisoned}, '[]', 'failed', 'v1', true,
              'could not be processed after 5 attempts: 22P05', 0, 0, ${at}, ${at}, ${at})`;
    await db.$executeRaw`
      INSERT INTO ingest_imports (id, site_key, payload, state, version, received, imported, rejected,
                                  duration_ms, processed_at, received_at, created_at)
      VALUES (${journal.ghost}, 'deleted-site', '[]', 'done', 'v1', 0, 0, 0, 1, ${at}, ${at}, ${at})`;
  } finally {
    await database.close();
  }

  ingest = await startService(
    await ingestionSpec({
      dir: ingestHome.dir,
      databaseUrl: ingestHome.databaseUrl,
      controlPlaneUrl: cp.url,
      token: ingestToken,
      env: { INGEST_REFRESH_MS: '200', INGEST_INSTANCE_ID: 'ingest-poison' },
    }),
  );
  cleanups.push(() => ingest.kill());
  await untilPinned(ingest, [poisoned, ...healthy], 'v1', adminToken);
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** The control plane's report of an import, once it has arrived. */
const reportOf = (siteKey: string, importId: string) =>
  eventually(
    async () => {
      const { body } = await admin('GET', `/api/v1/sites/${siteKey}/imports?limit=500`);
      return body.items.find((r: { importId: string }) => r.importId === importId);
    },
    30_000,
    100,
  );

describe('a poison import in one site, then normal feeds in five others', () => {
  it('delivers all five reports; the poison ones arrive as failed, with complete fields', async () => {
    const posted = [];
    for (const site of healthy) {
      const res = await request(ingest.url, 'POST', `/ingest/v1/sites/${site}/imports`, {
        token: importToken,
        body: feedFor(site, 1),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      posted.push({ site, importId: res.body.importId as string });
    }

    for (const { site, importId } of posted) {
      expect(await reportOf(site, importId), site).toMatchObject({
        version: 'v1',
        failed: false,
        flagged: null,
      });
    }
    // Arrived, not refused: failed imports with every count a number — the canary data they are.
    for (const importId of [journal.queuedPoison, journal.oldFailure]) {
      expect(await reportOf(poisoned, importId), importId).toMatchObject({
        version: 'v1',
        failed: true,
        received: 0,
        imported: 0,
        rejected: 0,
        durationMs: expect.any(Number),
      });
    }
    // Refused alone (its site is gone), and settled: it is not sent again.
    const ghost = await eventually(async () => {
      const { body } = await request(ingest.url, 'GET', `/ingest/v1/imports/${journal.ghost}`, {
        token: adminToken,
      });
      return body.reportedAt ? body : undefined;
    }, 30_000);
    expect(ghost).toMatchObject({ siteId: 'deleted-site', state: 'done' });
    expect((await admin('GET', '/api/v1/sites/deleted-site/imports')).status).toBe(404);
  }, 120_000);

  it('leaves the instance reporting in time; stopped with SIGTERM, it says goodbye', async () => {
    const ready = await eventually(async () => {
      const res = await request(ingest.url, 'GET', '/readyz');
      return res.body.reporting?.unreported === 0 ? res : undefined;
    }, 30_000);
    expect(ready.status).toBe(200);
    expect(ready.body.reporting).toMatchObject({
      lagSeconds: 0,
      controlPlane: { state: 'ok', holdsRollouts: false },
    });
    await ingest.stop();
    const { body } = await admin('GET', '/api/v1/sensors');
    expect(body.items).toEqual([
      expect.objectContaining({ instanceId: 'ingest-poison', state: 'stopped', unreported: 0 }),
    ]);
    expect(body.holding).toBeNull();
  }, 60_000);
});
