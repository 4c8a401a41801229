import type { Db } from '../../db/database.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Clock } from '../../lib/clock.ts';
import { addToCatalog, clearCatalog } from '../catalog-store.ts';
import type { FeedType } from '../feed.ts';
import { journaledFeed } from '../journal/journal-store.ts';
import type { PinReader } from '../pin-reader.ts';
import type { PipelineLookup } from '../pipelines/index.ts';
import { runPipeline } from '../pipelines/run-pipeline.ts';
import { takeSnapshot } from '../snapshots/take-snapshot.ts';
import { giveWayToRequests } from './give-way.ts';
import type { SnapshotPolicy } from '../snapshots/take-snapshot.ts';

export type ProcessOutcome =
  /** `more`: the site has further imports queued. */
  | { outcome: 'processed'; importId: string; state: 'done' | 'failed'; more: boolean }
  | { outcome: 'empty' }
  /** The site may not be processed now (paused, unpinned, no pipeline); the entry waits. */
  | { outcome: 'held'; reason: string };

/** Long enough for a 200,000-product feed on PGlite; `maxWait` covers PGlite's one connection. */
export const processingTransaction = { maxWait: 120_000, timeout: 300_000 };

/**
 * Processes a site's earliest queued import in ONE transaction: lock the site's row, snapshot the
 * catalog when the version changes, run the pipeline of the site's pin as it is now over the feed
 * a batch at a time, writing each batch's products as it goes (runPipeline: the event loop turns
 * between batches and no whole feed or catalog is held in memory), mark the entry done (or failed,
 * catalog as it was: a savepoint undoes the batches written), advance the site's position and
 * record the exports. A crash at any moment leaves the entry queued and the catalog as it was, or
 * everything done.
 */
export async function processNextImport(options: {
  db: Db;
  siteKey: string;
  pins: PinReader;
  pipelines: PipelineLookup;
  snapshots: SnapshotPolicy;
  exportChannels: readonly string[];
  clock: Clock;
  /** Told which entry is being processed (for `state: processing`), before any work on it. */
  onPicked?: (importId: string) => void;
}): Promise<ProcessOutcome> {
  const { db, siteKey, clock } = options;
  await giveWayToRequests();
  return db.$transaction(async (tx): Promise<ProcessOutcome> => {
    const site = await lockSite(tx, siteKey, clock.now());
    const [entry] = await tx.$queryRaw<
      { id: string; seq: bigint; contentType: FeedType; payload: string | null; more: boolean }[]
    >`
      SELECT id, seq, content_type AS "contentType", payload,
             EXISTS (SELECT 1 FROM ingest_imports n
                      WHERE n.site_key = i.site_key AND n.state = 'queued' AND n.seq > i.seq) AS more
        FROM ingest_imports i
       WHERE site_key = ${siteKey} AND state = 'queued' ORDER BY seq LIMIT 1`;
    if (!entry) return { outcome: 'empty' };

    // The pin as it is now, not as it was when the import arrived.
    const pin = options.pins.lookup(siteKey);
    if (pin.status !== 'pinned') return { outcome: 'held', reason: `site is ${pin.status}` };
    if (pin.paused) return { outcome: 'held', reason: 'site is paused' };
    const pipeline = options.pipelines(pin.version);
    if (!pipeline) return { outcome: 'held', reason: `no pipeline runs ${pin.version}` };
    options.onPicked?.(entry.id);

    if (site.lastVersion !== pipeline.version) {
      await takeSnapshot(tx, {
        siteKey,
        afterSeq: site.lastSeq ?? 0n,
        version: site.lastVersion,
        takenAt: clock.now(),
        policy: options.snapshots,
      });
    }

    const started = performance.now();
    await tx.$executeRaw`SAVEPOINT catalog`;
    await clearCatalog(tx, siteKey);
    const run = await runPipeline({
      pipeline,
      contentType: entry.contentType,
      parts: journaledFeed(tx, entry),
      onProducts: (products) => addToCatalog(tx, { siteKey, products }),
    });
    // A failed import is data for the canary analysis: keep and report it, touch no product.
    if (!run.ok) await tx.$executeRaw`ROLLBACK TO SAVEPOINT catalog`;
    const durationMs = Math.round(performance.now() - started);
    const processedAt = clock.now();

    // The entry's outcome, the site's position and the exports, in one statement.
    const channels = run.ok ? (options.exportChannels as string[]) : [];
    await tx.$executeRaw`
      WITH entry AS (
        UPDATE ingest_imports
           SET state = ${run.ok ? 'done' : 'failed'}, version = ${pipeline.version},
               received = ${run.received}, imported = ${run.ok ? run.imported : 0},
               rejected = ${run.ok ? run.rejected : 0},
               rejections = ${JSON.stringify(run.ok ? run.rejections : [])}::jsonb,
               errors = ${run.ok ? run.errors : 0}, failed = ${!run.ok},
               failure = ${run.ok ? null : run.failure},
               duration_ms = ${durationMs}, processed_at = ${processedAt}
         WHERE id = ${entry.id}),
      site AS (
        UPDATE ingest_sites SET last_seq = ${entry.seq}, last_version = ${pipeline.version},
               updated_at = ${processedAt}
         WHERE site_key = ${siteKey})
      -- A failed import left the catalog as it was: there is nothing new to publish.
      INSERT INTO ingest_exports
        (site_key, channel, trigger, catalog_seq, state, next_attempt_at, created_at)
      SELECT ${siteKey}, c, 'import', ${entry.seq}, 'pending', ${processedAt}, ${processedAt}
        FROM unnest(${channels}::text[]) AS c`;
    return {
      outcome: 'processed',
      importId: entry.id,
      state: run.ok ? 'done' : 'failed',
      more: entry.more,
    };
  }, processingTransaction);
}

/** The site's journal position and version, its row locked until the transaction ends. */
export async function lockSite(tx: Tx, siteKey: string, now: Date) {
  // An upsert that changes nothing still locks the row, and returns it: one round trip.
  const [site] = await tx.$queryRaw<{ lastSeq: bigint | null; lastVersion: string | null }[]>`
    INSERT INTO ingest_sites (site_key, updated_at) VALUES (${siteKey}, ${now})
    ON CONFLICT (site_key) DO UPDATE SET site_key = EXCLUDED.site_key
    RETURNING last_seq AS "lastSeq", last_version AS "lastVersion"`;
  return site!;
}
