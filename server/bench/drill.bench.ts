// The incident drill against the clock, with real processes: a control plane and an ingestion
// API (pins polled every second, the default), demo traffic for 200 sites, and a rollout of the
// product-dropping v2 to the load=high cohort. Prints how long after the first bad import report
// the revert was served to SDKs and honoured by the ingestion API, and how many imports the bad
// version processed (the blast radius).
import { demoSites } from '../src/demo/demo-fleet.ts';
import { startDemoTraffic } from '../src/demo/traffic.ts';
import { eventually, request } from '../test/http.ts';
import {
  controlPlaneSpec,
  ingestionSpec,
  processDatabaseUrl,
  startService,
  tempDir,
} from '../test/processes.ts';
import { fmt, table } from './measure.ts';

type Strategy = { parameters: { siteIds: string }; variants: { payload: { value: string } }[] };
type Report = { version: string; flagged: string | null; receivedAt: string };

const admin = 'drill-admin-token-000000000';
const client = 'drill-client-token-00000000';
const ingestToken = 'drill-ingest-token-00000000';
const importToken = 'drill-import-token-00000000';

export async function drillBench() {
  const dir = await tempDir('pinion-drill-');
  const cpDb = await processDatabaseUrl();
  const ingestDb = await processDatabaseUrl();
  const cp = await startService(
    await controlPlaneSpec({
      dir: `${dir.path}/control`,
      databaseUrl: cpDb?.url,
      tokens: { admin, client, ingest: ingestToken, import: importToken },
    }),
  );
  const ingest = await startService(
    await ingestionSpec({
      dir: `${dir.path}/ingest`,
      databaseUrl: ingestDb?.url,
      controlPlaneUrl: cp.url,
      token: ingestToken,
      readyPath: '/healthz',
      env: { INGEST_REFRESH_MS: '1000' },
    }),
  );
  const api = (method: string, path: string, body?: unknown) =>
    request(cp.url, method, path, { token: admin, body });
  const fleet = demoSites(200);
  const traffic = startDemoTraffic({
    ingestUrl: ingest.url,
    token: importToken,
    sites: fleet,
    intervalMs: 2_000,
    concurrency: 4,
    // Count imports by the version that processed them (the blast radius below).
    followImports: true,
  });
  try {
    await api('POST', '/api/v1/sites/import', { sites: fleet });
    const rounds = async (n: number) => {
      const target = traffic.stats().rounds + n;
      await eventually(() => (traffic.stats().rounds >= target ? true : undefined), 120_000, 100);
    };
    await rounds(5);
    const v2Before = traffic.stats().byVersion.v2 ?? 0;

    const planned = await api('POST', '/api/v1/rollouts', {
      targetVersion: 'v2',
      selector: 'load=high',
      stages: [{ count: 2 }, { percent: 50 }, { percent: 100 }],
      bake: { minBakeSeconds: 60, minImportsPerSite: 1 },
    });
    const r = planned.body;
    const canaries: string[] = (
      await api('GET', `/api/v1/rollouts/${r.id}/targets?stage=1`)
    ).body.items.map((t: { siteKey: string }) => t.siteKey);
    await api('POST', `/api/v1/rollouts/${r.id}/start`, {
      confirm: { count: r.targetCount, fingerprint: r.fingerprint },
    });

    // Watch, as often as we can, what SDKs are served and what the ingestion API believes.
    const servedV2 = async () => {
      const res = await request(cp.url, 'GET', '/api/client/features', {
        headers: { authorization: client },
      });
      const v2 = res.body.features[0].strategies.find(
        (s: Strategy) => s.variants[0]?.payload.value === 'v2',
      );
      return new Set<string>(v2 ? v2.parameters.siteIds.split(',') : []);
    };
    await eventually(async () => ((await servedV2()).size > 0 ? true : undefined), 30_000, 20);
    const revertServedAt = await eventually(
      async () => ((await servedV2()).size === 0 ? Date.now() : undefined),
      120_000,
      20,
    );
    const honouredAt = await eventually(
      async () => {
        const pins = await Promise.all(
          canaries.map((s) => request(ingest.url, 'GET', `/ingest/v1/pins/${s}`, { token: admin })),
        );
        return pins.every((p) => p.body.version !== 'v2') ? Date.now() : undefined;
      },
      30_000,
      20,
    );

    const rollout = (await api('GET', `/api/v1/rollouts/${r.id}`)).body;
    const reports = (
      await Promise.all(canaries.map((s) => api('GET', `/api/v1/sites/${s}/imports?limit=50`)))
    ).flatMap((res) => res.body.items);
    const firstBad = reports
      .filter((x: Report) => x.version === 'v2' && !x.flagged)
      .map((x: Report) => Date.parse(x.receivedAt))
      .sort((a: number, b: number) => a - b)[0]!;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const v2Imports = (traffic.stats().byVersion.v2 ?? 0) - v2Before;

    console.log(
      `\nIncident drill (${cpDb ? 'PostgreSQL' : 'PGlite'}; real processes; SDK polling every 1 s; 200 sites importing every 2 s)`,
    );
    table([
      { measure: 'rollout outcome', value: `${rollout.state}: ${rollout.endReason}` },
      {
        measure: 'first bad import report → revert served to SDKs',
        value: fmt.ms(revertServedAt - firstBad),
      },
      {
        measure: 'first bad import report → ingestion API honours the revert',
        value: fmt.ms(honouredAt - firstBad),
      },
      {
        measure: 'imports processed by v2 (blast radius)',
        value: `${v2Imports}, on ${canaries.length} canary sites of ${fleet.length}`,
      },
    ]);
  } finally {
    await traffic.stop();
    await ingest.stop();
    await cp.stop();
    await dir.remove();
    await cpDb?.drop();
    await ingestDb?.drop();
  }
}

if (import.meta.main) await drillBench();
