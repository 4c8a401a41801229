// The one place that changes pins of existing sites. Every change is compare-and-set against the
// pin the caller expects, and writes its pin event, its audit event and the revision bump in the
// caller's transaction. A site whose pin is not the expected one is skipped, never overwritten.
import type { Tx } from '../../db/transaction.ts';
import { bumpRevision } from '../client-api/revision-store.ts';

export type PinChange = { siteKey: string; from: string; to: string };
export type PinWriteResult = {
  applied: PinChange[];
  skipped: PinChange[];
  revision: bigint | null;
};

export async function writePins(
  tx: Tx,
  options: { changes: PinChange[]; actor: string; reason: string },
): Promise<PinWriteResult> {
  const changes = options.changes.filter((c) => c.from !== c.to);
  if (new Set(changes.map((c) => c.siteKey)).size !== changes.length) {
    throw new Error('writePins: a site appears twice in one write');
  }
  if (changes.length === 0) return { applied: [], skipped: [], revision: null };

  const keys = changes.map((c) => c.siteKey);
  const froms = changes.map((c) => c.from);
  const tos = changes.map((c) => c.to);
  const applied = await tx.$queryRaw<PinChange[]>`
    WITH wanted AS (
      SELECT * FROM unnest(${keys}::text[], ${froms}::text[], ${tos}::text[]) AS w(site_key, from_version, to_version)
    )
    UPDATE sites s SET pinned_version = w.to_version, updated_at = now()
      FROM wanted w
     WHERE s.key = w.site_key AND s.pinned_version = w.from_version
    RETURNING s.key AS "siteKey", w.from_version AS "from", w.to_version AS "to"`;

  const done = new Set(applied.map((c) => c.siteKey));
  const skipped = changes.filter((c) => !done.has(c.siteKey));
  if (applied.length === 0) return { applied, skipped, revision: null };

  const revision = await bumpRevision(tx);
  const aKeys = applied.map((c) => c.siteKey);
  const aFroms = applied.map((c) => c.from);
  const aTos = applied.map((c) => c.to);
  await tx.$executeRaw`
    INSERT INTO pin_events (site_key, from_version, to_version, actor, reason, revision)
    SELECT k, f, t, ${options.actor}, ${options.reason}, ${revision}
      FROM unnest(${aKeys}::text[], ${aFroms}::text[], ${aTos}::text[]) AS x(k, f, t)`;
  await tx.$executeRaw`
    INSERT INTO audit_events (actor, action, subject_type, subject_id, reason, before, after)
    SELECT ${options.actor}, 'pin.changed', 'site', k, ${options.reason},
           jsonb_build_object('version', f), jsonb_build_object('version', t)
      FROM unnest(${aKeys}::text[], ${aFroms}::text[], ${aTos}::text[]) AS x(k, f, t)`;
  return { applied, skipped, revision };
}
