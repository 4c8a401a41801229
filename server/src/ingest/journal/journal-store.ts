import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '../../db/database.ts';
import type { Tx } from '../../db/transaction.ts';

/** Advisory-lock namespace for journal appends (the second key is the site's hash). */
const appendLockSpace = 0x1a6e57;

export type AppendedImport = { id: string; seq: bigint; state: string; contentHash: string | null };

/**
 * Appends an accepted import to the journal, state `queued`: its text in `payload` when it is one
 * part, else in `ingest_import_parts`, a statement a part, in the same transaction. The first
 * statement takes a transaction-scoped advisory lock on the site, so a site's entries get their
 * `seq` in the order they commit: without it two concurrent posts on PostgreSQL could commit out
 * of sequence order, and a worker would process the later one first while a replay would not.
 *
 * With an idempotency key already used for the site, nothing is written and `created` is false.
 */
export async function appendImport(
  db: Db,
  entry: {
    siteKey: string;
    idempotencyKey?: string;
    contentType: string;
    contentHash: string;
    /** The feed's text in order (feed.ts `receiveFeed`). */
    parts: string[];
    receivedAt: Date;
  },
): Promise<{ created: boolean; entry: AppendedImport }> {
  const { parts } = entry;
  const insert = (tx: Tx) => tx.$queryRaw<AppendedImport[]>`
    WITH site_lock AS (SELECT pg_advisory_xact_lock(${appendLockSpace}::int, hashtext(${entry.siteKey})))
    INSERT INTO ingest_imports
      (id, site_key, idempotency_key, content_type, content_hash, payload, state, received_at, created_at)
    SELECT ${randomUUID()}, ${entry.siteKey}, ${entry.idempotencyKey ?? null}, ${entry.contentType},
           ${entry.contentHash}, ${parts.length > 1 ? null : (parts[0] ?? '')}, 'queued',
           ${entry.receivedAt}, ${entry.receivedAt}
      FROM site_lock
    ON CONFLICT (site_key, idempotency_key) DO NOTHING
    RETURNING id, seq, state, content_hash AS "contentHash"`;
  const [inserted] =
    parts.length > 1
      ? await db.$transaction(async (tx) => {
          const rows = await insert(tx);
          // createMany, not raw SQL: Prisma keeps raw queries' parameters in its plan cache. A
          // turn of the event loop after each part: PGlite answers without I/O, and forty parts
          // in a row held every request (even /healthz) for over a second.
          for (const [part, text] of rows[0] ? parts.entries() : []) {
            await tx.ingestImportPart.createMany({ data: [{ importId: rows[0]!.id, part, text }] });
            await nextTurn();
          }
          return rows;
        }, journalTransaction)
      : await insert(db);
  if (inserted) return { created: true, entry: inserted };
  const existing = await db.$queryRaw<AppendedImport[]>`
    SELECT id, seq, state, content_hash AS "contentHash" FROM ingest_imports
     WHERE site_key = ${entry.siteKey} AND idempotency_key = ${entry.idempotencyKey ?? null}`;
  if (!existing[0]) throw new Error('an idempotent append found neither a new nor an old entry');
  return { created: false, entry: existing[0] };
}

/** Forty parts of a 40 MB feed; waits for PGlite's one connection like the workers do. */
const journalTransaction = { maxWait: 120_000, timeout: 120_000 };

/**
 * A journaled feed's text, part by part, for processing or replay: never the whole of a large
 * feed in memory at once. An entry from before the journal kept feeds has none: an empty feed.
 */
export async function* journaledFeed(
  db: Tx,
  entry: { id: string; payload: string | null },
): AsyncGenerator<string> {
  if (entry.payload !== null) {
    yield entry.payload;
    return;
  }
  let found = false;
  for (let part = 0; ; part++) {
    const [row] = await db.$queryRaw<{ text: string }[]>`
      SELECT text FROM ingest_import_parts WHERE import_id = ${entry.id} AND part = ${part}`;
    if (!row) break;
    found = true;
    yield row.text;
  }
  if (!found) yield '[]';
}

/** What `GET /ingest/v1/imports/:id` shows; never the payload. */
const viewColumns = {
  id: true,
  seq: true,
  siteKey: true,
  state: true,
  version: true,
  received: true,
  imported: true,
  rejected: true,
  rejections: true,
  errors: true,
  failed: true,
  failure: true,
  durationMs: true,
  receivedAt: true,
  processedAt: true,
  reportedAt: true,
} as const;

export async function findImport(db: Db, id: string) {
  return db.ingestImport.findUnique({ where: { id }, select: viewColumns });
}

/** How much the journal holds, by state, and how old its oldest waiting entry is. */
export async function journalSummary(db: Db) {
  const rows = await db.$queryRaw<{ state: string; count: number; oldest: Date | null }[]>`
    SELECT state, count(*)::int AS count, min(received_at) AS oldest
      FROM ingest_imports GROUP BY state`;
  const count = (state: string) => rows.find((r) => r.state === state)?.count ?? 0;
  return {
    queued: count('queued'),
    done: count('done'),
    failed: count('failed'),
    oldestQueuedAt: rows.find((r) => r.state === 'queued')?.oldest ?? null,
  };
}

/**
 * Reports of processed entries the control plane has not acknowledged, oldest first. Every count
 * is a number: an entry failed by an older version of this code may lack some (null), and one
 * report the control plane cannot read must never be sent.
 */
export async function findUnreported(db: Db, limit: number) {
  const rows = await db.ingestImport.findMany({
    where: { reportedAt: null, state: { in: ['done', 'failed'] } },
    orderBy: { seq: 'asc' },
    take: limit,
    select: {
      id: true,
      siteKey: true,
      version: true,
      received: true,
      imported: true,
      rejected: true,
      errors: true,
      failed: true,
      durationMs: true,
      processedAt: true,
      createdAt: true,
    },
  });
  return rows.map((row) => ({
    importId: row.id,
    siteKey: row.siteKey,
    version: row.version,
    received: row.received ?? 0,
    imported: row.imported ?? 0,
    rejected: row.rejected ?? 0,
    errors: row.errors,
    failed: row.failed,
    durationMs: row.durationMs ?? 0,
    completedAt: (row.processedAt ?? row.createdAt).toISOString(),
  }));
}

export type PendingReport = Awaited<ReturnType<typeof findUnreported>>[number];

/**
 * How far behind this journal's reports are: processed entries not yet acknowledged (and when
 * the oldest was processed), entries still queued (and when the oldest arrived), and when the
 * control plane last acknowledged a report. One statement; each part reads an index.
 */
export async function reportingBacklog(db: Db) {
  const [row] = await db.$queryRaw<
    {
      unreported: number;
      oldestUnreportedAt: Date | null;
      queued: number;
      oldestQueuedAt: Date | null;
      lastDeliveredAt: Date | null;
    }[]
  >`
    SELECT (SELECT count(*)::int FROM ingest_imports
             WHERE reported_at IS NULL AND state IN ('done', 'failed')) AS unreported,
           (SELECT min(processed_at) FROM ingest_imports
             WHERE reported_at IS NULL AND state IN ('done', 'failed')) AS "oldestUnreportedAt",
           (SELECT count(*)::int FROM ingest_imports WHERE state = 'queued') AS queued,
           (SELECT received_at FROM ingest_imports WHERE state = 'queued'
             ORDER BY seq LIMIT 1) AS "oldestQueuedAt",
           (SELECT max(reported_at) FROM ingest_imports) AS "lastDeliveredAt"`;
  return row!;
}

export async function markReported(db: Tx, options: { ids: string[]; at: Date }) {
  await db.ingestImport.updateMany({
    where: { id: { in: options.ids } },
    data: { reportedAt: options.at },
  });
}
