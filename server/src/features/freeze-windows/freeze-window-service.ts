import type { Db } from '../../db/database.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Actor } from '../../http/auth.ts';
import type { Clock } from '../../lib/clock.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit-store.ts';

export type FreezeWindowService = ReturnType<typeof createFreezeWindowService>;

/** The freeze window in force at `at`, if any. */
export async function freezeAt(db: Tx, at: Date) {
  return db.freezeWindow.findFirst({
    where: { startsAt: { lte: at }, endsAt: { gt: at } },
    orderBy: { endsAt: 'desc' },
  });
}

export function createFreezeWindowService({ db, clock }: { db: Db; clock: Clock }) {
  return {
    list: () =>
      db.freezeWindow.findMany({
        where: { endsAt: { gt: new Date(clock.now().getTime() - 30 * 86_400_000) } },
        orderBy: { startsAt: 'asc' },
      }),

    async create(options: {
      name: string;
      startsAt: Date;
      endsAt: Date;
      reason: string;
      actor: Actor;
    }) {
      if (options.endsAt <= options.startsAt) {
        throw new ValidationError('body.endsAt: must be after startsAt', [
          { path: 'body.endsAt', message: 'must be after startsAt' },
        ]);
      }
      return db.$transaction(async (tx) => {
        const window = await tx.freezeWindow.create({
          data: {
            name: options.name,
            startsAt: options.startsAt,
            endsAt: options.endsAt,
            reason: options.reason,
            createdBy: options.actor.owner,
          },
        });
        await appendAudit(tx, {
          actor: options.actor,
          action: 'freeze_window.created',
          subjectType: 'freeze_window',
          subjectId: String(window.id),
          reason: options.reason,
          after: {
            name: window.name,
            startsAt: window.startsAt.toISOString(),
            endsAt: window.endsAt.toISOString(),
          },
        });
        return window;
      });
    },

    async remove(options: { id: number; reason: string; actor: Actor }) {
      await db.$transaction(async (tx) => {
        const window = await tx.freezeWindow.findUnique({ where: { id: options.id } });
        if (!window) throw new NotFoundError(`freeze window ${options.id} does not exist`);
        await tx.freezeWindow.delete({ where: { id: options.id } });
        await appendAudit(tx, {
          actor: options.actor,
          action: 'freeze_window.deleted',
          subjectType: 'freeze_window',
          subjectId: String(window.id),
          reason: options.reason,
          before: {
            name: window.name,
            startsAt: window.startsAt.toISOString(),
            endsAt: window.endsAt.toISOString(),
          },
        });
      });
    },
  };
}
