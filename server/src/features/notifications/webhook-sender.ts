import type { Db } from '../../db/database.ts';
import { backoffMs } from '../../lib/backoff.ts';
import type { Backoff } from '../../lib/backoff.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { Loop } from '../../lib/loop.ts';
import {
  claimNotification,
  findDueNotifications,
  markDelivered,
  markFailed,
} from './notification-store.ts';

export type WebhookSenderOptions = {
  db: Db;
  /** Where to POST; undefined sends nothing (rows wait in the table, see enqueueNotification). */
  url: string | undefined;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

const batchSize = 50;

/** Wait after the n-th failed attempt: 1 s, 2 s, 4 s, … up to 10 minutes. */
export const webhookRetries: Backoff = { firstMs: 1_000, maxMs: 10 * 60_000 };

type Outcome = { ok: true } | { ok: false; error: string; retryAfterMs?: number };

/**
 * Delivers announcements from the notifications table (an outbox) to a Slack-compatible
 * webhook. A row is sent until the receiver answers 2xx; each failure schedules the next try
 * with exponential backoff, and a failing row never holds back the ones behind it. Delivery is
 * at least once: a receiver that wants exactly once can use the X-Pinion-Notification-Id header.
 */
export class WebhookSender {
  readonly #options: WebhookSenderOptions & { timeoutMs: number };
  readonly #loop: Loop;

  constructor(options: WebhookSenderOptions) {
    this.#options = { timeoutMs: 5_000, ...options };
    this.#loop = new Loop({
      run: () => this.#drain(),
      onError: (err) =>
        this.#options.logger.error(
          { err: (err as Error).message },
          'webhook sender failed; will retry',
        ),
    });
  }

  get configured(): boolean {
    return this.#options.url !== undefined;
  }

  /** Sends on kicks, and every `intervalMs` when given (retries come due on the timer). */
  start(intervalMs?: number): void {
    if (!this.configured) {
      this.#options.logger.info(
        'no webhook URL configured: announcements are kept in the notifications table, not sent',
      );
      return;
    }
    this.#loop.start(intervalMs);
    void this.kick();
  }

  /**
   * Sends what is due now; resolves once a send that started after this call has ended (tests:
   * advance the clock, then kick).
   */
  kick(): Promise<void> {
    return this.#loop.kick();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  async #drain(): Promise<void> {
    const { db, clock } = this.#options;
    for (;;) {
      const due = await findDueNotifications(db, { now: clock.now(), limit: batchSize });
      for (const row of due) {
        if (this.#loop.stopped) return;
        await this.#deliver(row);
      }
      if (due.length < batchSize) return;
    }
  }

  async #deliver(row: { id: bigint; event: string; payload: unknown; attempts: number }) {
    const { db, clock, logger, timeoutMs } = this.#options;
    // Held for longer than one attempt can take, so another instance does not send it meanwhile.
    const until = new Date(clock.now().getTime() + timeoutMs + 30_000);
    if (!(await claimNotification(db, { id: row.id, attempts: row.attempts, until }))) return;
    const attempt = row.attempts + 1;
    const outcome = await this.#post(row.id, row.payload);
    const at = clock.now();
    const log = { notification: String(row.id), event: row.event, attempt };
    if (outcome.ok) {
      await markDelivered(db, { id: row.id, at });
      logger.info(log, 'notification delivered');
      return;
    }
    const delayMs = Math.max(backoffMs(attempt, webhookRetries), outcome.retryAfterMs ?? 0);
    await markFailed(db, {
      id: row.id,
      error: outcome.error,
      retryAt: new Date(at.getTime() + delayMs),
    });
    logger.warn({ ...log, err: outcome.error, retryInMs: delayMs }, 'notification not delivered');
  }

  async #post(id: bigint, payload: unknown): Promise<Outcome> {
    const { url, timeoutMs } = this.#options;
    const send = this.#options.fetch ?? fetch;
    try {
      const response = await send(url as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pinion-notification-id': String(id) },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await response.text().catch(() => '');
      if (response.ok) return { ok: true };
      return {
        ok: false,
        error: `HTTP ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      };
    } catch (err) {
      return { ok: false, error: describeFailure(err, timeoutMs) };
    }
  }
}

/** A receiver that asks to wait (429 with Retry-After in seconds) is honoured, up to the cap. */
function retryAfterMs(header: string | null): number | undefined {
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds > 0
    ? Math.min(seconds * 1_000, webhookRetries.maxMs)
    : undefined;
}

function describeFailure(err: unknown, timeoutMs: number): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, …).
  const cause = err.cause as { message?: string; code?: string } | undefined;
  const why = cause?.message || cause?.code;
  return why ? `${err.message}: ${why}` : err.message;
}
