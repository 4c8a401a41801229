import type { Prisma } from '../../db/generated/client.ts';
import type { Tx } from '../../db/transaction.ts';

/** Who did it: a person (the token's owner, and which token) or the engine. */
export type AuditActor = { owner: string; name?: string };
export const engineActor: AuditActor = { owner: 'engine' };

export type AuditEntry = {
  actor: AuditActor;
  rolloutId?: number;
  action: string;
  subjectType: string;
  subjectId: string;
  reason?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
};

/** Written inside the transaction of the change it records, never on its own. */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: toRow(entry) });
}

export async function appendAuditMany(tx: Tx, entries: AuditEntry[]): Promise<void> {
  if (entries.length > 0) await tx.auditEvent.createMany({ data: entries.map(toRow) });
}

function toRow(entry: AuditEntry): Prisma.AuditEventCreateManyInput {
  return {
    actor: entry.actor.owner,
    token: entry.actor.name ?? null,
    rolloutId: entry.rolloutId ?? null,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    reason: entry.reason ?? null,
    before: entry.before ?? undefined,
    after: entry.after ?? undefined,
  };
}

export type AuditFilter = {
  subjectType?: string;
  subjectId?: string;
  rolloutId?: number;
  actor?: string;
  action?: string;
  since?: Date;
  until?: Date;
  /** Return events older than this id (newest first paging). */
  before?: bigint;
  limit: number;
};

export async function findAudit(db: Tx, filter: AuditFilter) {
  return db.auditEvent.findMany({
    where: {
      subjectType: filter.subjectType,
      subjectId: filter.subjectId,
      rolloutId: filter.rolloutId,
      actor: filter.actor,
      action: filter.action,
      createdAt: { gte: filter.since, lt: filter.until },
      id: filter.before === undefined ? undefined : { lt: filter.before },
    },
    orderBy: { id: 'desc' },
    take: filter.limit,
  });
}
