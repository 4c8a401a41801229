// A rollout of 100,000 sites, end to end: preview the cohort, plan the rollout, apply its single
// 100% stage, revert it. PGlite (in a data directory, as in production) by default; PostgreSQL
// when DATABASE_URL is set (a database of its own, dropped afterwards).
//
// The control plane runs in this process (test/control-plane.ts) with its engine loop off, and
// the benchmark takes the engine step itself: the HTTP calls are timed from the same process,
// over loopback, which adds a little client-side work (JSON, fetch) to each figure but keeps the
// step that applies the stage — the engine's, not an endpoint — measurable on its own. Each
// round plans, applies and reverts the same sites again (a revert releases them), so later
// rounds run with the history of earlier ones in pin_events, audit_events and rollout_targets.
import { openDatabase } from '../src/db/database.ts';
import { startControlPlane } from '../test/control-plane.ts';
import { testDatabase } from '../test/database.ts';
import { tempDir } from '../test/processes.ts';
import { fmt, median, ms, table } from './measure.ts';

const sites = 100_000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const previews = 5;

export async function rolloutBench() {
  const dir = await tempDir('pinion-bench-');
  const postgres = Boolean(process.env.DATABASE_URL);
  const database = postgres ? await testDatabase() : await openDatabase({ dir: `${dir.path}/db` });
  const cp = await startControlPlane({
    database,
    env: { PINION_ENGINE: 'off', PINION_APPROVAL_THRESHOLD: String(sites * 10) },
  });
  const engine = cp.plane.services.engine;
  // PGlite works on this thread: a long statement blocks the event loop past the server's
  // keep-alive timeout, and the next request may pick a socket the server is closing
  // (ECONNRESET). An untimed request first, retried, leaves a fresh socket for the timed one.
  const touch = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return await cp.api('GET', '/healthz');
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
  };
  const ok = <T extends { status: number; body: unknown }>(
    res: T,
    status: number,
    what: string,
  ) => {
    if (res.status !== status)
      throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  try {
    const lines = ['key,name,label.fleet,label.shard'];
    for (let i = 0; i < sites; i++) lines.push(`site-${i},Site ${i},bench,s${i % 10}`);
    await touch();
    const [, importMs] = await ms(async () =>
      ok(
        await cp.api('POST', '/api/v1/sites/import', {
          raw: lines.join('\n'),
          headers: { 'content-type': 'text/csv' },
        }),
        201,
        'import',
      ),
    );

    const selector = 'fleet=bench';
    const previewMs: number[] = [];
    let previewCount = 0;
    for (let i = 0; i < previews; i++) {
      await touch();
      const [res, took] = await ms(() =>
        cp.api('POST', '/api/v1/cohorts/preview', { body: { selector } }),
      );
      previewCount = ok(res, 200, 'preview').body.count;
      previewMs.push(took);
    }

    const planMs: number[] = [];
    const startMs: number[] = [];
    const applyMs: number[] = [];
    const revertMs: number[] = [];
    let applied = 0;
    let reverted = 0;
    for (let round = 0; round < rounds; round++) {
      await touch();
      const [planned, tookPlan] = await ms(() =>
        cp.api('POST', '/api/v1/rollouts', {
          body: {
            targetVersion: 'v2',
            selector,
            stages: [{ percent: 100 }],
            bake: { minBakeSeconds: 0, minImportsPerSite: 0 },
            checks: { enabled: false },
          },
        }),
      );
      const plan = ok(planned, 201, 'plan').body;
      planMs.push(tookPlan);

      await touch();
      const [started, tookStart] = await ms(() =>
        cp.api('POST', `/api/v1/rollouts/${plan.id}/start`, {
          body: { confirm: { count: plan.targetCount, fingerprint: plan.fingerprint } },
        }),
      );
      ok(started, 200, 'start');
      startMs.push(tookStart);

      // One engine step applies the whole stage in one transaction.
      const [step, tookApply] = await ms(() => engine.step(plan.id));
      if (step !== 'applied') throw new Error(`engine step: expected 'applied', got '${step}'`);
      applyMs.push(tookApply);
      applied = await cp.db.rolloutTarget.count({
        where: { rolloutId: plan.id, status: 'applied' },
      });

      await touch();
      const [undone, tookRevert] = await ms(() =>
        cp.api('POST', `/api/v1/rollouts/${plan.id}/revert`, { body: { reason: 'bench' } }),
      );
      reverted = ok(undone, 200, 'revert').body.reverted;
      revertMs.push(tookRevert);
    }

    const show = (values: number[]) =>
      values.length === 1
        ? fmt.ms(values[0]!)
        : `${fmt.ms(median(values))} (${values.map((v) => fmt.ms(v)).join(', ')})`;
    console.log(
      `\nRollout of ${fmt.int(sites)} sites (${postgres ? 'PostgreSQL' : 'PGlite'}; in-process control plane, ` +
        `median of ${rounds} round(s), each listed)`,
    );
    table([
      { measure: 'bulk import of the sites (one CSV request)', value: fmt.ms(importMs) },
      {
        measure: `preview cohort of ${fmt.int(previewCount)} sites (POST /cohorts/preview)`,
        value: show(previewMs),
      },
      { measure: 'plan rollout to v2 (POST /rollouts)', value: show(planMs) },
      { measure: 'start (POST /rollouts/:id/start)', value: show(startMs) },
      { measure: `apply 100% stage, ${fmt.int(applied)} pins (engine.step)`, value: show(applyMs) },
      {
        measure: `revert ${fmt.int(reverted)} pins (POST /rollouts/:id/revert)`,
        value: show(revertMs),
      },
    ]);
  } finally {
    await cp.close();
    await database.close();
    await dir.remove();
  }
}

if (import.meta.main) await rolloutBench();
