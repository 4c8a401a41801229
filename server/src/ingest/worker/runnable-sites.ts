import type { Db } from '../../db/database.ts';

/**
 * Sites with queued imports, oldest waiting first, one page at a time (keyset on each site's
 * earliest queued position). Sites with an unfinished repair task are left out: their imports
 * wait until the repair has rebuilt the catalog, then follow it in order.
 */
export async function runnableSites(db: Db, options: { after: bigint; limit: number }) {
  return db.$queryRaw<{ siteKey: string; first: bigint }[]>`
    SELECT i.site_key AS "siteKey", min(i.seq) AS first
      FROM ingest_imports i
     WHERE i.state = 'queued'
       AND NOT EXISTS (SELECT 1 FROM ingest_repair_tasks r
                        WHERE r.site_key = i.site_key AND r.state NOT IN ('done', 'failed'))
     GROUP BY i.site_key
    HAVING min(i.seq) > ${options.after}
     ORDER BY first
     LIMIT ${options.limit}`;
}
