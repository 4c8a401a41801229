// After each processed import the site's catalog is published: a file (always) and a webhook
// (when configured), retried with backoff, every run recorded.
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';
import { eventually } from '../../../test/http.ts';
import { startIngestion } from '../../../test/ingestion.ts';
import type { TestIngestion } from '../../../test/ingestion.ts';
import { catalogOf, feedFor, normalized, untilPinned } from '../../../test/ingest-fixtures.ts';
import { backoffMs } from '../../lib/backoff.ts';
import { exportRetries } from './export-sender.ts';

type Received = { site: string; body: any };
let cp: TestControlPlane;
let ingest: TestIngestion;
let receiver: Server;
const received: Received[] = [];
/** What the receiver answers next: a status per request, then 204. */
const failures: number[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const status = failures.shift() ?? 204;
      if (status < 300)
        received.push({ site: String(req.headers['x-pinion-site']), body: JSON.parse(text) });
      res.writeHead(status).end(status < 300 ? '' : 'receiver is down');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await new Promise((resolve) => receiver.once('listening', resolve));
  cp = await startControlPlane();
  await cp.createSites([{ key: 'ex-1' }, { key: 'ex-2' }, { key: 'ex-3' }]);
  ingest = await startIngestion({
    controlPlaneUrl: cp.url,
    env: {
      INGEST_EXPORT_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/catalogs`,
    },
  });
  await untilPinned(ingest, ['ex-1', 'ex-2', 'ex-3']);
});
afterAll(async () => {
  await ingest?.close();
  await cp?.close();
  receiver?.close();
});

const exportsOf = async (site: string) =>
  (await ingest.call('GET', `/ingest/v1/sites/${site}/exports`)).body.items;
async function importFeed(site: string, n: number) {
  const res = await ingest.post(site, feedFor(site, n));
  return ingest.processed(res.body.importId);
}

describe('exports', () => {
  it('writes the catalog to a file and posts it to the webhook, and records both runs', async () => {
    const done = await importFeed('ex-1', 1);
    const runs = await eventually(async () => {
      const items = await exportsOf('ex-1');
      return items.length === 2 && items.every((e: any) => e.state === 'delivered')
        ? items
        : undefined;
    });
    expect(runs.map((r: any) => r.channel).sort()).toEqual(['file', 'webhook']);
    for (const run of runs)
      expect(run).toMatchObject({ trigger: 'import', position: done.position, attempts: 1 });

    const dir = join(ingest.dataDir, 'exports');
    const file = JSON.parse(await readFile(join(dir, 'ex-1.json'), 'utf8'));
    const expected = catalogOf(feedFor('ex-1', 1), 'v1');
    expect(file).toMatchObject({
      siteId: 'ex-1',
      position: done.position,
      version: 'v1',
      count: expected.length,
    });
    expect(normalized(file.products)).toEqual(expected);
    expect(file.products[1].price).toMatch(/^\d+\.\d\d$/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const posted = received.find((r) => r.site === 'ex-1')!;
    expect(posted.body).toEqual(file);
  });

  it('retries a failing webhook with backoff, showing the failure meanwhile', async () => {
    failures.push(500, 503);
    const done = await importFeed('ex-2', 1);
    const retrying = await eventually(async () => {
      const hook = (await exportsOf('ex-2')).find((e: any) => e.channel === 'webhook');
      return hook?.state === 'retrying' ? hook : undefined;
    });
    expect(retrying).toMatchObject({ attempts: 1, lastError: 'HTTP 500: receiver is down' });
    expect(Date.parse(retrying.nextAttemptAt)).toBeGreaterThan(Date.now() - 500);
    const delivered = await eventually(async () => {
      const hook = (await exportsOf('ex-2')).find((e: any) => e.channel === 'webhook');
      return hook?.state === 'delivered' ? hook : undefined;
    }, 15_000);
    expect(delivered).toMatchObject({ attempts: 3, position: done.position });
    expect(received.filter((r) => r.site === 'ex-2')).toHaveLength(1);
    expect([1, 2, 3, 10, 11].map((n) => backoffMs(n, exportRetries))).toEqual([
      1_000, 2_000, 4_000, 512_000, 600_000,
    ]);
  }, 30_000);

  it('publishes only the newest catalog when several are waiting, and marks the older ones superseded', async () => {
    failures.push(500);
    await importFeed('ex-3', 1);
    await eventually(async () =>
      (await exportsOf('ex-3')).some((e: any) => e.state === 'retrying') ? true : undefined,
    );
    // While the webhook waits for its retry, two more catalogs arrive.
    await importFeed('ex-3', 2);
    const last = await importFeed('ex-3', 3);
    const hooks = await eventually(async () => {
      const items = (await exportsOf('ex-3')).filter((e: any) => e.channel === 'webhook');
      return items.every((e: any) => e.state === 'delivered' || e.state === 'superseded')
        ? items
        : undefined;
    }, 15_000);
    expect(hooks.map((h: any) => h.state)).toEqual(['delivered', 'superseded', 'superseded']);
    expect(hooks[0].position).toBe(last.position);
    const posts = received.filter((r) => r.site === 'ex-3');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.position).toBe(last.position);
    expect(normalized(posts[0]!.body.products)).toEqual(catalogOf(feedFor('ex-3', 3), 'v1'));
  }, 30_000);
});
