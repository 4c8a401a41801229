import type { Db } from '../db/database.ts';
import type { Logger } from '../lib/logger.ts';
import { findUnreported, markReported } from './catalog-store.ts';

/**
 * Delivers import reports to the control plane from the imports table itself (an outbox): a
 * report is pending until the control plane has acknowledged it, so an unreachable control
 * plane delays reports but loses none. Reports are idempotent by import id on the other side.
 */
export class ImportReporter {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  readonly #deps: { db: Db; controlPlaneUrl: string; token: string; logger: Logger };

  constructor(deps: { db: Db; controlPlaneUrl: string; token: string; logger: Logger }) {
    this.#deps = deps;
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => this.kick(), intervalMs);
    this.#timer.unref();
  }

  /** Sends what is pending now (coalescing calls that arrive while a send is under way). */
  kick(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        void this.kick();
      }
    });
    return this.#running;
  }

  /** Sends pending reports in batches, oldest first, until none are left or one batch fails. */
  async #drain(): Promise<void> {
    const { db, logger } = this.#deps;
    for (;;) {
      const rows = await findUnreported(db, 500);
      if (rows.length === 0 || this.#stopped) return;
      const response = await fetch(
        new URL('/api/v1/import-reports/batch', this.#deps.controlPlaneUrl),
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${this.#deps.token}`,
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
              completedAt: row.createdAt.toISOString(),
            })),
          }),
          signal: AbortSignal.timeout(10_000),
        },
      ).catch((err: Error) => err);
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

  /** Resolves once no send is under way and none will start (the database may then close). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    while (this.#running) await this.#running;
  }
}
