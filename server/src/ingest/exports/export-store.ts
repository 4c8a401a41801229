import type { Db } from '../../db/database.ts';
import type { Tx } from '../../db/transaction.ts';

/**
 * Records that a site's catalog must be published to each channel. Written in the transaction
 * that changed the catalog, so a committed change always has its exports and a rolled-back one
 * none; the sender delivers them after the commit.
 */
export async function enqueueExports(
  tx: Tx,
  options: {
    siteKey: string;
    catalogSeq: bigint;
    trigger: 'import' | 'repair';
    channels: readonly string[];
    now: Date;
  },
) {
  if (options.channels.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO ingest_exports (site_key, channel, trigger, catalog_seq, state, next_attempt_at, created_at)
    SELECT ${options.siteKey}, c, ${options.trigger}, ${options.catalogSeq}, 'pending', ${options.now}, ${options.now}
      FROM unnest(${options.channels as string[]}::text[]) AS c`;
}

export type ExportGroup = { siteKey: string; channel: string; newest: bigint; attempts: number };

/**
 * The (site, channel) pairs with exports to deliver now. A pair waits while any of its rows waits
 * (`max(next_attempt_at)`): a failing webhook is retried on its backoff, not once per import.
 */
export async function dueExportGroups(
  db: Db,
  options: { now: Date; limit: number; siteKey?: string; channels?: readonly string[] },
) {
  return db.$queryRaw<ExportGroup[]>`
    SELECT site_key AS "siteKey", channel, max(id) AS newest, max(attempts)::int AS attempts
      FROM ingest_exports
     WHERE state IN ('pending', 'retrying')
       AND (${options.siteKey ?? null}::text IS NULL OR site_key = ${options.siteKey ?? null})
       AND (${(options.channels as string[] | undefined) ?? null}::text[] IS NULL
            OR channel = ANY(${(options.channels as string[] | undefined) ?? null}::text[]))
     GROUP BY site_key, channel
    HAVING max(next_attempt_at) <= ${options.now}
     ORDER BY min(id)
     LIMIT ${options.limit}`;
}

/**
 * Settles a group after one delivery of the site's current catalog: the newest row is delivered
 * (or retrying, on failure); the older ones are `superseded` — the catalog they asked for was
 * replaced by a newer one before it went out, and publishing the newest once is what a
 * subscriber needs. Rows enqueued after the group was read are left for the next pass.
 */
export async function settleExportGroup(
  db: Db,
  options: {
    group: ExportGroup;
    now: Date;
    outcome: { delivered: true } | { delivered: false; error: string; retryAt: Date };
  },
) {
  const { group, now, outcome } = options;
  const state = outcome.delivered ? 'delivered' : 'retrying';
  const error = outcome.delivered ? null : outcome.error.slice(0, 1_000);
  const next = outcome.delivered ? now : outcome.retryAt;
  await db.$executeRaw`
    UPDATE ingest_exports
       SET state = CASE WHEN id = ${group.newest} THEN ${state} ELSE 'superseded' END,
           attempts = CASE WHEN id = ${group.newest} THEN ${group.attempts + 1} ELSE attempts END,
           last_error = CASE WHEN id = ${group.newest} THEN ${error} ELSE last_error END,
           next_attempt_at = CASE WHEN id = ${group.newest} THEN ${next} ELSE next_attempt_at END,
           delivered_at = CASE WHEN id = ${group.newest} AND ${outcome.delivered} THEN ${now}
                          ELSE delivered_at END
     WHERE site_key = ${group.siteKey} AND channel = ${group.channel}
       AND id <= ${group.newest} AND state IN ('pending', 'retrying')`;
}

export async function listExports(
  db: Db,
  options: { siteKey: string; limit: number; offset: number },
) {
  const rows = await db.ingestExport.findMany({
    where: { siteKey: options.siteKey },
    orderBy: { id: 'desc' },
    take: options.limit,
    skip: options.offset,
  });
  return rows.map(({ id, catalogSeq, siteKey: _site, ...row }) => ({
    id: Number(id),
    position: catalogSeq === null ? null : Number(catalogSeq),
    ...row,
  }));
}
