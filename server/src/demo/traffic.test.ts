// The demo traffic generator against a real ingestion API and control plane in this process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../../test/control-plane.ts';
import type { TestControlPlane } from '../../test/control-plane.ts';
import { eventually } from '../../test/http.ts';
import { startIngestion } from '../../test/ingestion.ts';
import { demoSites } from './demo-fleet.ts';
import { startDemoTraffic } from './traffic.ts';
import type { ImportOutcome } from './traffic.ts';

// A slice of the demo fleet: enough sites to interleave, few enough for a busy 2-core machine.
const sites = demoSites(40);
let cp: TestControlPlane;
let ingest: Awaited<ReturnType<typeof startIngestion>>;

beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites(sites);
  ingest = await startIngestion({ controlPlaneUrl: cp.url });
  await eventually(async () =>
    (await ingest.call('GET', `/ingest/v1/pins/${sites.at(-1)!.key}`)).body.status === 'pinned'
      ? true
      : undefined,
  );
});
afterAll(async () => {
  await ingest.close();
  await cp.close();
});

describe('demo traffic', () => {
  it('imports every site once per interval and sends nothing once stopped', async () => {
    const imports = new Map<string, ImportOutcome[]>();
    const traffic = startDemoTraffic({
      ingestUrl: ingest.url,
      token: initialTokens.import,
      sites,
      intervalMs: 500,
      concurrency: 8,
      followImports: true,
      onImport: (outcome) =>
        imports.set(outcome.siteKey, [...(imports.get(outcome.siteKey) ?? []), outcome]),
    });
    try {
      await eventually(
        () => (sites.every((s) => (imports.get(s.key)?.length ?? 0) >= 2) ? true : undefined),
        150_000,
      );
    } finally {
      await traffic.stop();
    }
    const stats = traffic.stats();
    expect(stats).toMatchObject({ inFlight: 0, refused: 0, failed: 0, unreachable: 0 });
    const first = imports.get('s-010')!;
    expect(first.slice(0, 2)).toMatchObject([
      { outcome: 'imported', version: 'v1', importNumber: 2 },
      { outcome: 'imported', version: 'v1', importNumber: 3 },
    ]);

    // Every accepted import is in the journal, processed.
    const count = await ingest.db.ingestImport.count();
    expect(count).toBe(stats.imported);
    expect(await ingest.db.ingestImport.count({ where: { state: 'done' } })).toBe(count);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await ingest.db.ingestImport.count()).toBe(count);
    expect(traffic.stats().sent).toBe(stats.sent);
  }, 180_000);

  it('counts refusals and an unreachable API, and keeps going; a paused site’s imports wait', async () => {
    await cp.api('POST', '/api/v1/sites/s-001/pause', { body: { reason: 'held' } });
    await eventually(async () =>
      (await ingest.call('GET', '/ingest/v1/pins/s-001')).body.paused ? true : undefined,
    );
    const outcomes: ImportOutcome[] = [];
    const traffic = startDemoTraffic({
      ingestUrl: ingest.url,
      token: initialTokens.import,
      sites: [{ key: 's-001' }, { key: 'not-a-site' }, { key: 's-002' }],
      intervalMs: 150,
      onImport: (outcome) => outcomes.push(outcome),
    });
    const down = startDemoTraffic({
      ingestUrl: 'http://127.0.0.1:9',
      token: initialTokens.import,
      sites: [{ key: 's-003' }],
      intervalMs: 100,
    });
    await eventually(() =>
      traffic.stats().rounds >= 2 && down.stats().rounds >= 2 ? true : undefined,
    );
    await Promise.all([traffic.stop(), down.stop()]);
    expect(traffic.stats()).toMatchObject({
      byCode: { site_unknown: expect.any(Number) },
      failed: 0,
    });
    expect(traffic.stats().byCode).not.toHaveProperty('site_paused');
    // The paused site's imports are accepted and queued, not refused.
    const paused = outcomes.filter((o) => o.siteKey === 's-001');
    expect(paused.length).toBeGreaterThanOrEqual(2);
    expect(paused.every((o) => o.outcome === 'imported' && o.state === 'queued')).toBe(true);
    expect(
      await ingest.db.ingestImport.count({ where: { siteKey: 's-001', state: 'queued' } }),
    ).toBe(paused.length);
    expect(traffic.stats().imported).toBeGreaterThanOrEqual(4);
    expect(down.stats()).toMatchObject({ imported: 0, unreachable: down.stats().sent });
  });
});
