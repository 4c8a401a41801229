import type { Tx } from '../../db/transaction.ts';
import { appendAudit } from '../audit/audit-store.ts';
import type { AuditActor } from '../audit/audit-store.ts';
import { bumpRevision } from '../client-api/revision-store.ts';

/**
 * Pauses or resumes sites in the caller's transaction: sites already in that state are left
 * alone; the revision is bumped once, and one audit event records the change.
 */
export async function setPausedMany(
  tx: Tx,
  options: {
    keys: string[];
    paused: boolean;
    actor: AuditActor;
    reason: string;
    rolloutId?: number;
    audit: { subjectType: string; subjectId: string };
  },
): Promise<{ changed: string[]; revision: bigint | null }> {
  if (options.keys.length === 0) return { changed: [], revision: null };
  const rows = await tx.$queryRaw<{ key: string }[]>`
    UPDATE sites SET paused = ${options.paused}, updated_at = now()
     WHERE key = ANY(${options.keys}::text[]) AND paused = ${!options.paused}
    RETURNING key`;
  const changed = rows.map((r) => r.key).sort();
  if (changed.length === 0) return { changed, revision: null };
  const revision = await bumpRevision(tx);
  const single = options.audit.subjectType === 'site';
  await appendAudit(tx, {
    actor: options.actor,
    rolloutId: options.rolloutId,
    action: options.paused
      ? single
        ? 'site.paused'
        : 'sites.paused'
      : single
        ? 'site.resumed'
        : 'sites.resumed',
    subjectType: options.audit.subjectType,
    subjectId: options.audit.subjectId,
    reason: options.reason,
    before: single ? { paused: !options.paused } : null,
    after: single
      ? { paused: options.paused }
      : { count: changed.length, sites: changed.slice(0, 100) },
  });
  return { changed, revision };
}
