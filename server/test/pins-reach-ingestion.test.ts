// The walking skeleton end to end, with real processes: a pin set through the control plane's
// admin API decides which pipeline version processes that site's next import.
import { copyFile, mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, request } from './http.ts';
import { untilProcessed } from './ingestion.ts';
import {
  controlPlaneSpec,
  freePort,
  ingestionSpec,
  processHome,
  startService,
  tempDir,
} from './processes.ts';
import type { Service, ServiceSpec } from './processes.ts';

const adminToken = 'proc-admin-token-0000000000';
const ingestToken = 'proc-ingest-token-000000000';
const importToken = 'proc-import-token-000000000';

// 10 products, 3 of them without a usable GTIN: v1 keeps 10, v2 keeps 7.
const feed = Array.from({ length: 10 }, (_, i) => ({
  sku: `P-${i}`,
  name: `Product ${i}`,
  price: 10 + i,
  gtin: i < 3 ? undefined : '4006381333931',
}));

let cp: Service;
let ingest: Service;
const cleanups: (() => Promise<void>)[] = [];
let cpEnv: ServiceSpec;
let ingestEnv: ServiceSpec;

const admin = (method: string, path: string, body?: unknown) =>
  request(cp.url, method, path, { token: adminToken, body });
/** Reads from the ingestion API, with a staff token. */
const read = (path: string) => request(ingest.url, 'GET', path, { token: adminToken });
/** Posts the feed (journaled: 202) and waits for it to be processed; returns the journal entry. */
async function post(site: string) {
  const accepted = await request(ingest.url, 'POST', `/ingest/v1/sites/${site}/imports`, {
    token: importToken,
    body: feed,
  });
  if (accepted.status !== 202) return accepted;
  const { importId } = accepted.body;
  return { ...accepted, body: await untilProcessed(ingest.url, importId, 15_000, importToken) };
}

beforeAll(async () => {
  const cpHome = await processHome('pinion-cp-');
  const ingestHome = await processHome('pinion-ingest-');
  cleanups.push(cpHome.remove, ingestHome.remove);
  cpEnv = await controlPlaneSpec({
    dir: cpHome.dir,
    databaseUrl: cpHome.databaseUrl,
    tokens: { admin: adminToken, ingest: ingestToken, import: importToken },
    env: { PINION_REVISION_POLL_MS: '200' },
  });
  cp = await startService(cpEnv);
  cleanups.push(() => cp.kill());
  await admin('POST', '/api/v1/sites/import', {
    sites: [
      { key: 'site-a', name: 'A' },
      { key: 'site-b', name: 'B' },
    ],
  });

  ingestEnv = await ingestionSpec({
    dir: ingestHome.dir,
    databaseUrl: ingestHome.databaseUrl,
    controlPlaneUrl: cp.url,
    token: ingestToken,
    env: { INGEST_REFRESH_MS: '200', INGEST_INSTANCE_ID: 'ingest-under-test' },
  });
  ingest = await startService(ingestEnv);
  cleanups.push(() => ingest.kill());
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe('a pin set in the control plane decides the pipeline of the next import', () => {
  it('processes site A with v2 and site B with v1 once the SDK holds the new revision', async () => {
    const pinned = await admin('PUT', '/api/v1/sites/site-a/pin', {
      version: 'v2',
      reason: 'canary A',
    });
    expect(pinned.status).toBe(200);
    const revision = (await admin('GET', '/readyz')).body.revision;

    // The control plane knows which revision every SDK instance holds: wait for ours.
    await eventually(async () => {
      const { body } = await admin('GET', '/api/v1/client-instances');
      const me = body.items.find(
        (i: { instanceId: string }) => i.instanceId === 'ingest-under-test',
      );
      return me?.lastRevision === revision || undefined;
    }, 15_000);

    const a = await post('site-a');
    const b = await post('site-b');
    expect(a.body).toMatchObject({ state: 'done', version: 'v2', received: 10, imported: 7 });
    expect(b.body).toMatchObject({ version: 'v1', received: 10, imported: 10 });

    const catalogA = await read('/ingest/v1/sites/site-a/products');
    const catalogB = await read('/ingest/v1/sites/site-b/products');
    expect(catalogA.body.count).toBe(7);
    expect(catalogB.body.count).toBe(10);

    const reports = await eventually(async () => {
      const ra = (await admin('GET', '/api/v1/sites/site-a/imports')).body.items;
      const rb = (await admin('GET', '/api/v1/sites/site-b/imports')).body.items;
      return ra.length && rb.length ? { ra, rb } : undefined;
    });
    expect(reports.ra[0]).toMatchObject({
      importId: a.body.id,
      version: 'v2',
      pinnedVersion: 'v2',
      received: 10,
      imported: 7,
    });
    expect(reports.rb[0]).toMatchObject({
      importId: b.body.id,
      version: 'v1',
      received: 10,
      imported: 10,
    });
  });

  it('refuses an import for a site the control plane does not know, with Retry-After', async () => {
    const res = await post('site-unknown');
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('site_unknown');
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect((await read('/ingest/v1/sites/site-unknown/products')).body.count).toBe(0);
  });

  it('keeps honouring the last pins while the control plane is down, across its own restart', async () => {
    await cp.stop();
    expect((await post('site-a')).body).toMatchObject({ version: 'v2', imported: 7 });
    expect((await post('site-b')).body).toMatchObject({ version: 'v1', imported: 10 });

    // A restarted ingestion API reads the SDK's saved copy of the last payload, and the tokens
    // the control plane confirmed before the outage (for the rest of their grace period).
    await ingest.stop();
    ingest = await startService(ingestEnv);
    const lookup = await read('/ingest/v1/pins/site-a');
    expect(lookup.body).toMatchObject({ status: 'pinned', version: 'v2' });
    expect((await post('site-a')).body).toMatchObject({ version: 'v2', imported: 7 });

    // Reports of imports made meanwhile reach the control plane when it returns.
    cp = await startService(cpEnv);
    await eventually(async () => {
      const items = (await admin('GET', '/api/v1/sites/site-a/imports')).body.items;
      return items.length === 3 ? items : undefined;
    }, 15_000);
  });
});

describe('an ingestion API that has never reached the control plane', () => {
  it('refuses tokens it cannot confirm, and never guesses a version: 503 and Retry-After', async () => {
    const dir = await tempDir('pinion-ingest-lonely-');
    cleanups.push(dir.remove);
    // It holds the tokens another instance saw confirmed (copied), but no pins at all.
    const saved = 'auth/confirmed-tokens.json';
    await mkdir(`${dir.path}/auth`);
    await copyFile(`${ingestEnv.env.INGEST_DATA_DIR}/${saved}`, `${dir.path}/${saved}`);
    const port = await freePort();
    const lonely = await startService({
      entry: 'src/ingest/main.ts',
      port,
      readyPath: '/healthz',
      env: {
        ...ingestEnv.env,
        INGEST_PORT: String(port),
        CONTROL_PLANE_URL: `http://127.0.0.1:${await freePort()}`,
        INGEST_DATA_DIR: dir.path,
        INGEST_DATABASE_URL: '',
      },
    });
    cleanups.push(() => lonely.kill());
    const postAs = (token: string) =>
      request(lonely.url, 'POST', '/ingest/v1/sites/site-a/imports', { token, body: feed });

    const unconfirmed = await postAs('proc-never-confirmed-token-00');
    expect(unconfirmed.status).toBe(503);
    expect(unconfirmed.body.code).toBe('auth_unavailable');
    expect(unconfirmed.headers.get('retry-after')).toBe('5');

    const res = await postAs(importToken);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('pins_unavailable');
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await request(lonely.url, 'GET', '/readyz')).status).toBe(503);
  });
});
