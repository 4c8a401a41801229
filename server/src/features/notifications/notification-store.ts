import type { Prisma } from '../../db/generated/client.ts';
import type { Tx } from '../../db/transaction.ts';

export type NotificationEvent =
  | 'rollout.halted'
  | 'rollout.reverted'
  | 'rollout.completed'
  /** An ingestion instance's reports became late (or it fell silent): rollouts are held. */
  | 'sensors.lagging'
  /** It caught up (or said goodbye with nothing left to report): it no longer holds rollouts. */
  | 'sensors.recovered'
  /** Silent for so long that it is considered gone: it no longer holds rollouts. */
  | 'sensors.gone';

/** The rollout an announcement is about; extra fields (stage, cohort, …) travel as given. */
export type NotifiedRollout = Prisma.InputJsonObject & {
  id: number;
  targetVersion: string;
  state: string;
};

export type NotificationInput = {
  event: NotificationEvent;
  /** One plain sentence a person understands without the rest of the body (Slack shows only it). */
  text: string;
  rollout?: NotifiedRollout;
  details?: Prisma.InputJsonObject;
};

/**
 * Writes one announcement to the outbox in the caller's transaction, so a halt and its
 * announcement commit (or roll back) together; the webhook sender delivers it afterwards.
 *
 * Rows are written whether or not a webhook URL is configured: this function runs inside other
 * features' transactions and should not depend on configuration, and unsent rows stay visible
 * in GET /api/v1/notifications as "pending" (a URL configured later delivers them).
 */
export async function enqueueNotification(tx: Tx, input: NotificationInput): Promise<void> {
  const payload: Prisma.InputJsonObject = {
    // Slack incoming webhooks read `text` (as mrkdwn) and ignore the other fields.
    text: escapeForSlack(input.text),
    event: input.event,
    ...(input.rollout && { rollout: { ref: `r-${input.rollout.id}`, ...input.rollout } }),
    ...(input.details && { details: input.details }),
  };
  await tx.notification.create({ data: { event: input.event, payload } });
}

/** Slack reads `<…>` as links and mentions, so a literal &, < or > must be escaped. */
export const escapeForSlack = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * Rows the sender should try now, oldest first. A row never tried is due at once: its
 * next_attempt_at default comes from the database's clock, while retries are scheduled by the
 * sender's own clock, so only the latter is compared.
 */
export async function findDueNotifications(db: Tx, options: { now: Date; limit: number }) {
  return db.notification.findMany({
    where: { deliveredAt: null, OR: [{ attempts: 0 }, { nextAttemptAt: { lte: options.now } }] },
    orderBy: { id: 'asc' },
    take: options.limit,
    select: { id: true, event: true, payload: true, attempts: true },
  });
}

/**
 * Takes a row for one attempt (counting it, and holding it until `until` so another sender
 * leaves it alone); false when someone else took or delivered it since it was read.
 */
export async function claimNotification(
  db: Tx,
  options: { id: bigint; attempts: number; until: Date },
): Promise<boolean> {
  const { count } = await db.notification.updateMany({
    where: { id: options.id, attempts: options.attempts, deliveredAt: null },
    data: { attempts: { increment: 1 }, nextAttemptAt: options.until },
  });
  return count === 1;
}

export async function markDelivered(db: Tx, options: { id: bigint; at: Date }): Promise<void> {
  await db.notification.update({ where: { id: options.id }, data: { deliveredAt: options.at } });
}

export async function markFailed(
  db: Tx,
  options: { id: bigint; error: string; retryAt: Date },
): Promise<void> {
  await db.notification.update({
    where: { id: options.id },
    data: { lastError: options.error.slice(0, 500), nextAttemptAt: options.retryAt },
  });
}

/** pending: never tried yet; retrying: tried and failed, another attempt is scheduled. */
export type DeliveryState = 'delivered' | 'pending' | 'retrying';

/** Recent announcements, newest first, with how their delivery went (for operators). */
export async function listNotifications(db: Tx, options: { limit: number; before?: bigint }) {
  const rows = await db.notification.findMany({
    where: options.before === undefined ? {} : { id: { lt: options.before } },
    orderBy: { id: 'desc' },
    take: options.limit,
  });
  return rows.map((row) => {
    const state: DeliveryState = row.deliveredAt
      ? 'delivered'
      : row.attempts === 0
        ? 'pending'
        : 'retrying';
    const { text } = row.payload as { text?: unknown };
    return {
      id: row.id,
      event: row.event,
      text: typeof text === 'string' ? text : '',
      state,
      attempts: row.attempts,
      nextAttemptAt: row.deliveredAt ? null : row.nextAttemptAt,
      deliveredAt: row.deliveredAt,
      lastError: row.lastError,
      createdAt: row.createdAt,
      payload: row.payload,
    };
  });
}
