import type { Db } from '../../db/database.ts';
import { lockSite, processingTransaction } from './process-next-import.ts';

/**
 * Marks a queued entry failed without processing it: its processing transaction itself kept
 * failing (a feed the database refuses to store, say), and a site must not wait behind one entry
 * forever. The entry counts as processed — the catalog is left as it was, as for a pipeline
 * failure — and is reported like any failed import.
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
    await lockSite(tx, options.siteKey, options.now);
    const [entry] = await tx.$queryRaw<{ seq: bigint }[]>`
      UPDATE ingest_imports
         SET state = 'failed', failed = true, failure = ${options.reason.slice(0, 2_000)},
             version = ${options.version}, imported = 0, rejected = 0, processed_at = ${options.now}
       WHERE id = ${options.importId} AND state = 'queued'
      RETURNING seq`;
    if (!entry) return;
    await tx.$executeRaw`
      UPDATE ingest_sites SET last_seq = ${entry.seq}, updated_at = ${options.now}
       WHERE site_key = ${options.siteKey}`;
  }, processingTransaction);
}
