import type { Db } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { Loop } from '../lib/loop.ts';
import { settle } from './control-plane/control-plane-api.ts';
import type { ControlPlaneApi, PostAnswer } from './control-plane/control-plane-api.ts';
import { findUnreported, markReported } from './journal/journal-store.ts';
import type { PendingReport } from './journal/journal-store.ts';

/** A report the control plane can read: every report names the version that processed it. */
type Report = PendingReport & { version: string };

/** Statuses by which the control plane refuses a request for what it contains. */
const refusedAsInput = new Set([400, 413, 422]);

type Answer =
  | { kind: 'accepted'; refused: PostAnswer<'/api/v1/import-reports/batch'>['refused'] }
  | { kind: 'refused'; status: number; message: string }
  | { kind: 'unavailable'; error: string };

/**
 * Delivers import reports to the control plane from the journal itself (an outbox): a processed
 * entry (done or failed) is pending until the control plane has acknowledged its report, so an
 * unreachable control plane delays reports but loses none. Queued entries are not reported: the
 * report says which version processed the import and what it produced. Reports are idempotent
 * by import id on the other side.
 *
 * One report can never hold back the others. The control plane judges each report of a batch on
 * its own, and a report it refuses will not get better by sending it again: it is marked
 * reported and logged. Should it refuse a whole batch as bad input (400, 413, 422 — a control
 * plane of another version, a report it cannot even read), the batch is split in halves and each
 * half sent on its own, down to single reports, and a single report refused that way is final
 * too: one poison report costs about 2·log2(500) ≈ 18 requests, once. Splitting was chosen over
 * sending every report alone, which would cost a request per report for the whole fleet when a
 * batch costs one. Any other failure (unreachable, 5xx, 401/403, 429) says nothing about the
 * reports: every one is kept and the next run tries again.
 */
export function importReporter(deps: {
  db: Db;
  api: ControlPlaneApi;
  clock: Clock;
  logger: Logger;
}): Loop {
  const { db, logger } = deps;
  const loop = new Loop({
    run: () => drain(),
    onError: (err) => logger.warn({ err }, 'import reporter'),
  });
  return loop;

  /** Sends pending reports, oldest first, until none are left or the control plane is away. */
  async function drain(): Promise<void> {
    for (;;) {
      const pending = await findUnreported(db, 500);
      if (pending.length === 0 || loop.stopped) return;
      const reports = await settleVersionless(pending);
      if (reports.length > 0 && !(await deliver(reports))) return;
    }
  }

  /**
   * An entry given up before any version processed its site has no version to report, and the
   * control plane refuses such a report whatever else it says: it is settled here, as refused.
   */
  async function settleVersionless(pending: PendingReport[]): Promise<Report[]> {
    const versionless = pending.filter((r) => r.version === null);
    for (const { importId, siteKey } of versionless)
      logger.error(
        { importId, siteKey, message: 'no version processed it' },
        'import report refused',
      );
    if (versionless.length > 0)
      await markReported(db, { ids: versionless.map((r) => r.importId), at: deps.clock.now() });
    return pending.filter((r): r is Report => r.version !== null);
  }

  /** True when every report was settled (acknowledged or refused for good). */
  async function deliver(reports: Report[]): Promise<boolean> {
    const answer = await post(reports);
    if (answer.kind === 'unavailable') {
      logger.warn(
        { reports: reports.length, err: answer.error },
        'import reports not delivered; will retry',
      );
      return false;
    }
    if (answer.kind === 'accepted') {
      for (const refusal of answer.refused) logger.error(refusal, 'import report refused');
    } else if (reports.length === 1) {
      const { importId, siteKey } = reports[0]!;
      logger.error(
        { importId, siteKey, status: answer.status, message: answer.message },
        'import report refused',
      );
    } else {
      const half = Math.ceil(reports.length / 2);
      return (await deliver(reports.slice(0, half))) && (await deliver(reports.slice(half)));
    }
    await markReported(db, { ids: reports.map((r) => r.importId), at: deps.clock.now() });
    return true;
  }

  async function post(reports: Report[]): Promise<Answer> {
    const answer = await settle(
      deps.api.POST('/api/v1/import-reports/batch', {
        body: { reports },
        signal: AbortSignal.timeout(10_000),
      }),
    );
    if (answer.ok) return { kind: 'accepted', refused: answer.data.refused ?? [] };
    if (answer.status !== undefined && refusedAsInput.has(answer.status))
      return { kind: 'refused', status: answer.status, message: answer.error };
    return { kind: 'unavailable', error: answer.error };
  }
}
