import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { writeCatalog } from '../catalog-store.ts';
import { enqueueExports } from '../exports/export-store.ts';
import type { PinReader } from '../pin-reader.ts';
import type { PipelineLookup } from '../pipelines/index.ts';
import { latestSnapshotBefore, snapshotProducts } from '../snapshots/snapshot-store.ts';
import { lockSite, processingTransaction } from '../worker/process-next-import.ts';
import { replayJournal } from './replay-journal.ts';
import { setRepairState } from './repair-store.ts';
import type { RepairTask } from './repair-store.ts';

/** The site's journal moved while it was replayed; the repair starts over. */
class JournalMoved extends Error {}

/**
 * Repairs one site: finds its first import processed by the bad version since the rollout
 * began, restores the snapshot taken before it, replays every processed import after that
 * snapshot with the pipeline of the site's CURRENT pin, and writes the result, the site's
 * position and the exports in one transaction; then publishes the file export.
 *
 * Idempotent: it reads only the journal and snapshots, which it never changes, so running it
 * again — after a crash at any step — gives the same catalog. The caller holds the site (no
 * import of it is processed meanwhile) and records a thrown error as the task's failure.
 */
export async function repairSite(options: {
  db: Db;
  task: RepairTask;
  pins: PinReader;
  pipelines: PipelineLookup;
  exportChannels: readonly string[];
  /** Publishes the site's pending file export (webhooks are left to the sender). */
  publish: (siteKey: string) => Promise<void>;
  clock: Clock;
  /** A state was written: progress has something to send. */
  onState: () => void;
}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptRepair(options);
    } catch (err) {
      if (!(err instanceof JournalMoved) || attempt >= 3) throw err;
    }
  }
}

async function attemptRepair(options: Parameters<typeof repairSite>[0]): Promise<void> {
  const { db, task, clock } = options;
  const siteKey = task.siteKey;
  const setState = async (state: Parameters<typeof setRepairState>[1]) => {
    await setRepairState(db, state);
    options.onState();
  };

  await setState({ task, state: 'restoring' });
  const [firstBad] = await db.$queryRaw<{ seq: bigint }[]>`
    SELECT seq FROM ingest_imports
     WHERE site_key = ${siteKey} AND version = ${task.badVersion}
       AND state IN ('done', 'failed') AND processed_at >= ${task.since}
     ORDER BY seq LIMIT 1`;
  if (!firstBad) {
    await setState({ task, state: 'done', details: { nothingToRepair: true } });
    return;
  }
  const snapshot = await latestSnapshotBefore(db, { siteKey, seq: firstBad.seq });
  const afterSeq = snapshot?.afterSeq ?? 0n;

  await setState({ task, state: 'replaying' });
  const pin = options.pins.lookup(siteKey);
  if (pin.status !== 'pinned') {
    await setState({
      task,
      state: 'failed',
      reason: `site '${siteKey}' has no pin in the pins this ingestion API holds (${pin.status}); pin it, then retry the repair`,
    });
    return;
  }
  const pipeline = options.pipelines(pin.version);
  if (!pipeline) {
    await setState({
      task,
      state: 'failed',
      reason: `site '${siteKey}' is pinned to ${pin.version}, which this ingestion API does not run`,
    });
    return;
  }
  const entries = await db.$queryRaw<{ id: string; seq: bigint }[]>`
    SELECT id, seq FROM ingest_imports
     WHERE site_key = ${siteKey} AND seq > ${afterSeq} AND state IN ('done', 'failed')
     ORDER BY seq`;
  const lastSeq = entries.at(-1)?.seq ?? afterSeq;
  const replay = await replayJournal({ db, entries, pipeline });
  const products = replay.products ?? (snapshot ? await snapshotProducts(db, snapshot.id) : []);
  const details = {
    restoredFromSeq: Number(afterSeq),
    replayed: entries.length,
    products: products.length,
    version: pipeline.version,
  };

  await db.$transaction(async (tx) => {
    const now = clock.now();
    const site = await lockSite(tx, siteKey, now);
    // Only this repair may move the site now (the caller holds it): a later position means a
    // second writer, and the replay must include what it wrote.
    if ((site.lastSeq ?? 0n) > lastSeq) {
      throw new JournalMoved(`site ${siteKey} is at ${site.lastSeq}, replayed to ${lastSeq}`);
    }
    await writeCatalog(tx, { siteKey, products });
    await tx.$executeRaw`
      UPDATE ingest_sites SET last_seq = ${lastSeq}, last_version = ${pipeline.version},
             updated_at = ${now}
       WHERE site_key = ${siteKey}`;
    await enqueueExports(tx, {
      siteKey,
      catalogSeq: lastSeq,
      trigger: 'repair',
      channels: options.exportChannels,
      now,
    });
    await setRepairState(tx, { task, state: 'exporting', details });
  }, processingTransaction);
  options.onState();

  await options.publish(siteKey);
  await setState({ task, state: 'done', details });
}
