import { Prisma } from '../../db/generated/client.ts';
import type { Tx } from '../../db/transaction.ts';
import type { ImportSample, Verdict } from './checks.ts';

const utc = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

export type SiteSamples = {
  siteKey: string;
  fromVersion: string;
  baseline: ImportSample[];
  canary: ImportSample[];
};

/**
 * Baseline and canary imports of the stage's applied sites that received a report since `since`.
 * Baseline: the site's latest `baselineImports` reports on its pre-rollout version in the
 * `baselineDays` before it was pinned. Canary: its reports on the target version since then.
 * Flagged reports (version not the pin at the time) are neither.
 */
export async function loadSamples(
  tx: Tx,
  options: {
    rolloutId: number;
    stage: number;
    targetVersion: string;
    since: Date;
    baselineImports: number;
    baselineDays: number;
  },
): Promise<SiteSamples[]> {
  const rows = await tx.$queryRaw<
    (ImportSample & { siteKey: string; fromVersion: string; kind: 'baseline' | 'canary' })[]
  >`
    WITH t AS (
      SELECT site_key, from_version, applied_at FROM rollout_targets rt
       WHERE rt.rollout_id = ${options.rolloutId} AND rt.stage = ${options.stage} AND rt.status = 'applied'
         AND EXISTS (SELECT 1 FROM import_reports r WHERE r.site_key = rt.site_key AND r.received_at > ${utc(options.since)})
    )
    SELECT t.site_key AS "siteKey", t.from_version AS "fromVersion", 'baseline' AS kind,
           b.received, b.imported, b.errors, b.failed, b.duration_ms AS "durationMs"
      FROM t CROSS JOIN LATERAL (
        SELECT * FROM import_reports r
         WHERE r.site_key = t.site_key AND r.version = t.from_version AND r.flagged IS NULL
           AND r.completed_at < t.applied_at
           AND r.completed_at >= t.applied_at - make_interval(secs => ${options.baselineDays * 86_400})
         ORDER BY r.completed_at DESC LIMIT ${options.baselineImports}) b
    UNION ALL
    SELECT t.site_key, t.from_version, 'canary', c.received, c.imported, c.errors, c.failed, c.duration_ms
      FROM t CROSS JOIN LATERAL (
        SELECT * FROM import_reports r
         WHERE r.site_key = t.site_key AND r.version = ${options.targetVersion} AND r.flagged IS NULL
           AND r.completed_at >= t.applied_at
         ORDER BY r.completed_at DESC LIMIT 20) c`;
  const bySite = new Map<string, SiteSamples>();
  for (const row of rows) {
    let site = bySite.get(row.siteKey);
    if (!site)
      bySite.set(
        row.siteKey,
        (site = { siteKey: row.siteKey, fromVersion: row.fromVersion, baseline: [], canary: [] }),
      );
    site[row.kind].push({
      received: row.received,
      imported: row.imported,
      errors: row.errors,
      failed: row.failed,
      durationMs: row.durationMs,
    });
  }
  return [...bySite.values()];
}

/**
 * The natural drift of sites not yet upgraded: for up to `limit` of the rollout's pending sites,
 * the change of their latest import since the stage began against the median of their imports
 * before it.
 */
export async function controlChanges(
  tx: Tx,
  options: {
    rolloutId: number;
    stageStartedAt: Date;
    baselineImports: number;
    baselineDays: number;
    limit: number;
  },
): Promise<number[]> {
  const start = utc(options.stageStartedAt);
  const rows = await tx.$queryRaw<{ current: number | null; baseline: number | null }[]>`
    SELECT (SELECT r.imported FROM import_reports r
             WHERE r.site_key = t.site_key AND r.version = t.from_version AND r.flagged IS NULL AND r.completed_at >= ${start}
             ORDER BY r.completed_at DESC LIMIT 1) AS current,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY b.imported) FROM (
              SELECT r.imported FROM import_reports r
               WHERE r.site_key = t.site_key AND r.version = t.from_version AND r.flagged IS NULL
                 AND r.completed_at < ${start} AND r.completed_at >= ${start} - make_interval(secs => ${options.baselineDays * 86_400})
               ORDER BY r.completed_at DESC LIMIT ${options.baselineImports}) b) AS baseline
      FROM rollout_targets t
     WHERE t.rollout_id = ${options.rolloutId} AND t.status = 'pending'
     ORDER BY t.site_key LIMIT ${options.limit}`;
  return rows
    .filter((r) => r.current !== null && r.baseline !== null && Number(r.baseline) > 0)
    .map((r) => (Number(r.current) - Number(r.baseline)) / Number(r.baseline));
}

export async function saveVerdicts(
  tx: Tx,
  options: { rolloutId: number; stage: number; verdicts: Verdict[]; at: Date },
) {
  for (const v of options.verdicts) {
    const row = {
      outcome: v.outcome,
      required: v.required,
      message: v.message,
      numbers: v.numbers,
      evaluatedAt: options.at,
    };
    await tx.verdict.upsert({
      where: {
        rolloutId_stage_siteKey_check: {
          rolloutId: options.rolloutId,
          stage: options.stage,
          siteKey: v.siteKey,
          check: v.check,
        },
      },
      create: {
        rolloutId: options.rolloutId,
        stage: options.stage,
        siteKey: v.siteKey,
        check: v.check,
        ...row,
      },
      update: row,
    });
  }
}

export async function findVerdicts(db: Tx, options: { rolloutId: number; stage?: number }) {
  const rows = await db.verdict.findMany({
    where: { rolloutId: options.rolloutId, stage: options.stage },
    orderBy: [{ stage: 'asc' }, { siteKey: 'asc' }, { check: 'asc' }],
  });
  return rows.map((r) => ({
    ...r,
    outcome: r.outcome as Verdict['outcome'],
    numbers: r.numbers as Verdict['numbers'],
  }));
}

/**
 * The database's clock. Reports are stamped with it on arrival, so the analysis watermark must
 * come from it too (the engine's clock may be another: tests move it by hand).
 */
export async function databaseNow(tx: Tx): Promise<Date> {
  const rows = await tx.$queryRaw<{ now: Date }[]>`SELECT (now() AT TIME ZONE 'UTC') AS now`;
  return rows[0]!.now;
}
