// The ingestion API's side of sensor health: its `/readyz` shows how late its import reports are
// (and stays 200: an instance that is behind keeps accepting imports), its heartbeat makes the
// control plane hold rollouts while they are late and let go once they arrive, and a graceful
// stop says goodbye. Heartbeats are sent when the test says so; the ingestion clock is moved by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../../test/control-plane.ts';
import type { TestControlPlane } from '../../test/control-plane.ts';
import { feedFor, untilPinned } from '../../test/ingest-fixtures.ts';
import { startIngestion } from '../../test/ingestion.ts';
import type { TestIngestion } from '../../test/ingestion.ts';
import { manualClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { controlPlaneApi } from './control-plane/control-plane-api.ts';
import { importReporter } from './reporter.ts';

const clock = manualClock();
let cp: TestControlPlane;
let ingest: TestIngestion;
let closed = false;

beforeAll(async () => {
  cp = await startControlPlane({ env: { PINION_MAX_REPORT_LAG_SECONDS: '60' } });
  await cp.createSites([{ key: 'hb-1' }, { key: 'hb-2' }]);
  ingest = await startIngestion({
    controlPlaneUrl: cp.url,
    clock,
    // Only the test's kicks: no heartbeat on a timer.
    env: { INGEST_HEARTBEAT_MS: '3600000', INGEST_INSTANCE_ID: 'ingest-hb' },
  });
  await untilPinned(ingest, ['hb-1', 'hb-2']);
});
afterAll(async () => {
  if (!closed) await ingest?.close();
  await cp?.close();
});

const readyz = async () => {
  await ingest.ingestion.heartbeat.kick();
  return ingest.call('GET', '/readyz');
};
const sensorOnControlPlane = async () =>
  (await cp.api('GET', '/api/v1/sensors')).body.items.find(
    (s: { instanceId: string }) => s.instanceId === 'ingest-hb',
  );
const plan = async () => {
  const res = await cp.api('POST', '/api/v1/rollouts', {
    body: {
      targetVersion: 'v2',
      siteKeys: ['hb-1', 'hb-2'],
      stages: [{ percent: 100 }],
      checks: { enabled: false },
    },
  });
  expect(res.status).toBe(201);
  return res.body;
};
const startRollout = (r: { id: number; targetCount: number; fingerprint: string }) =>
  cp.api('POST', `/api/v1/rollouts/${r.id}/start`, {
    body: { confirm: { count: r.targetCount, fingerprint: r.fingerprint } },
  });

describe("an ingestion instance's reporting lag", () => {
  it('is in /readyz and on the control plane, and holds rollouts while reports are late', async () => {
    const first = await ingest.post('hb-1', feedFor('hb-1', 1));
    expect((await ingest.processed(first.body.importId)).state).toBe('done');
    await ingest.ingestion.reporter.kick();

    const inTime = await readyz();
    expect(inTime.status).toBe(200);
    expect(inTime.body.reporting).toMatchObject({
      lagSeconds: 0,
      unreported: 0,
      queued: 0,
      lastDeliveredAt: expect.any(String),
      controlPlane: { state: 'ok', holdsRollouts: false, limitSeconds: 60 },
    });
    expect(await sensorOnControlPlane()).toMatchObject({ state: 'ok', unreported: 0 });

    // The reporter stalls (as against a control plane that cannot take reports) for 2 minutes.
    await ingest.ingestion.reporter.stop();
    const late = await ingest.post('hb-2', feedFor('hb-2', 1));
    expect((await ingest.processed(late.body.importId)).state).toBe('done');
    clock.advance(120_000);

    const behind = await readyz();
    expect(behind.status).toBe(200);
    expect(behind.body.reporting).toMatchObject({
      lagSeconds: 120,
      unreported: 1,
      controlPlane: { state: 'lagging', holdsRollouts: true },
    });
    // Still accepting imports.
    expect((await ingest.post('hb-1', feedFor('hb-1', 2))).status).toBe(202);
    expect(await sensorOnControlPlane()).toMatchObject({ state: 'lagging', lagSeconds: 120 });
    const r = await plan();
    const refused = await startRollout(r);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(
      'import reports are late — ingestion instance ingest-hb is 120 s behind',
    );

    // The reports arrive: the lag clears and the rollout starts.
    const reporter = importReporter({
      db: ingest.db,
      api: controlPlaneApi({ url: cp.url, token: initialTokens.ingest }),
      clock,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    reporter.start();
    await reporter.kick();
    await reporter.stop();
    const caughtUp = await readyz();
    expect(caughtUp.body.reporting).toMatchObject({
      lagSeconds: 0,
      unreported: 0,
      controlPlane: { state: 'ok', holdsRollouts: false },
    });
    expect((await startRollout(r)).status).toBe(200);
  });

  it('says goodbye on a graceful stop, so the control plane does not wait for it to fall silent', async () => {
    await ingest.close();
    closed = true;
    expect(await sensorOnControlPlane()).toMatchObject({
      state: 'stopped',
      holdsRollouts: false,
      stoppedAt: expect.any(String),
    });
  });
});
