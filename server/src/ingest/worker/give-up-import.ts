import type { Db } from '../../db/database.ts';
import { lockSite, processingTransaction } from './process-next-import.ts';

/**
 * Marks a queued entry failed without processing it: its processing transaction failed for a
 * reason of its own (a feed the database refuses to store, say) or kept failing, and a site must
 * not wait behind one entry. The entry counts as processed — the catalog is left as it was, as
 * for a pipeline failure — and is reported like any failed import, so every field a report needs
 * is set: nothing was kept of it (0 products), and no processing finished (0 ms). Without a pin
 * at hand the version is the one that processed the site last.
 */
export async function giveUpImport(options: {
  db: Db;
  siteKey: string;
  importId: string;
  version: string | null;
  reason: string;
  now: Date;
}) {
  await options.db.$transaction(async (tx) => {
    const site = await lockSite(tx, options.siteKey, options.now);
    const [entry] = await tx.$queryRaw<{ seq: bigint }[]>`
      UPDATE ingest_imports
         SET state = 'failed', failed = true, failure = ${options.reason.slice(0, 2_000)},
             version = ${options.version ?? site.lastVersion}, received = 0, imported = 0,
             rejected = 0, errors = 0, duration_ms = 0, processed_at = ${options.now}
       WHERE id = ${options.importId} AND state = 'queued'
      RETURNING seq`;
    if (!entry) return;
    await tx.$executeRaw`
      UPDATE ingest_sites SET last_seq = ${entry.seq}, updated_at = ${options.now}
       WHERE site_key = ${options.siteKey}`;
  }, processingTransaction);
}
