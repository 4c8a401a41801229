import type { Db } from '../db/database.ts';
import type { Logger } from '../lib/logger.ts';
import { Drainer } from './drainer.ts';
import { findUnreported, markReported } from './journal/journal-store.ts';

/**
 * Delivers import reports to the control plane from the journal itself (an outbox): a processed
 * entry (done or failed) is pending until the control plane has acknowledged its report, so an
 * unreachable control plane delays reports but loses none. Queued entries are not reported: the
 * report says which version processed the import and what it produced. Reports are idempotent
 * by import id on the other side.
 */
export function importReporter(deps: {
  db: Db;
  controlPlaneUrl: string;
  token: string;
  logger: Logger;
}): Drainer {
  const drainer = new Drainer({
    drain: () => drain(),
    onError: (err) => deps.logger.warn({ err }, 'import reporter'),
  });
  return drainer;

  /** Sends pending reports in batches, oldest first, until none are left or one batch fails. */
  async function drain(): Promise<void> {
    const { db, logger } = deps;
    for (;;) {
      const rows = await findUnreported(db, 500);
      if (rows.length === 0 || drainer.stopped) return;
      const response = await fetch(new URL('/api/v1/import-reports/batch', deps.controlPlaneUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${deps.token}`,
        },
        body: JSON.stringify({
          reports: rows.map((row) => ({
            importId: row.id,
            siteKey: row.siteKey,
            version: row.version,
            received: row.received,
            imported: row.imported,
            rejected: row.rejected,
            errors: row.errors,
            failed: row.failed,
            durationMs: row.durationMs,
            completedAt: (row.processedAt ?? row.createdAt).toISOString(),
          })),
        }),
        signal: AbortSignal.timeout(10_000),
      }).catch((err: Error) => err);
      if (response instanceof Error || !response.ok) {
        // Unreachable, failing, or refusing the whole batch: keep every report and try again later.
        const err =
          response instanceof Error
            ? response.message
            : `${response.status} ${await response.text()}`;
        logger.warn({ reports: rows.length, err }, 'import reports not delivered; will retry');
        return;
      }
      const result = (await response.json()) as {
        refused: { importId: string; message: string }[];
      };
      // A report refused on its own (its site was deleted, say) will not get better by retrying.
      for (const refusal of result.refused) logger.error(refusal, 'import report refused');
      await markReported(
        db,
        rows.map((row) => row.id),
      );
    }
  }
}
