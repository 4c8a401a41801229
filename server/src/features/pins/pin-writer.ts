// The one place that changes pins of existing sites. Every change is compare-and-set against the
// pin the caller expects; a site whose pin is not the expected one is skipped (and reported with
// the pin found), never overwritten. In the caller's transaction it writes a pin event per
// changed site, bumps the revision, and writes the one audit event that records the write.
import type { Tx } from '../../db/transaction.ts';
import { appendAudit } from '../audit/audit-store.ts';
import type { AuditActor } from '../audit/audit-store.ts';

export type PinChange = { siteKey: string; from: string; to: string };
export type SkippedPin = PinChange & { found: string | null };
export type PinWriteResult = {
  applied: PinChange[];
  skipped: SkippedPin[];
  revision: bigint | null;
};

/** What the audit event of a write says: its action and subject, and details of the caller's. */
export type PinWriteAudit = {
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
};

const byKey = (a: PinChange, b: PinChange) =>
  a.siteKey < b.siteKey ? -1 : a.siteKey > b.siteKey ? 1 : 0;

export async function writePins(
  tx: Tx,
  options: {
    changes: PinChange[];
    actor: AuditActor;
    reason: string;
    rolloutId?: number;
    audit: PinWriteAudit;
  },
): Promise<PinWriteResult> {
  // In key order: rows and index entries are written in order, and two writers lock shared
  // sites in the same order.
  const changes = options.changes.filter((c) => c.from !== c.to).sort(byKey);
  if (changes.some((c, i) => i > 0 && changes[i - 1]!.siteKey === c.siteKey)) {
    throw new Error('writePins: a site appears twice in one write');
  }
  // Only no-ops: nothing happened, so there is nothing to record. (An empty write, such as the
  // revert of a rollout that changed nothing yet, is still recorded.)
  if (changes.length === 0 && options.changes.length > 0)
    return { applied: [], skipped: [], revision: null };

  const { actor } = options;
  const { revision, positions } = await compareAndSet(tx, {
    changes,
    owner: actor.owner,
    reason: options.reason,
    rolloutId: options.rolloutId ?? null,
  });
  const applied = positions.map((n) => changes[n - 1]!).sort(byKey);
  const done = new Set(applied.map((c) => c.siteKey));
  const missed = changes.filter((c) => !done.has(c.siteKey));
  const found = await currentPins(
    tx,
    missed.map((c) => c.siteKey),
  );
  const skipped = missed.map((c) => ({ ...c, found: found.get(c.siteKey) ?? null }));

  const single = changes.length === 1 && applied.length === 1;
  await appendAudit(tx, {
    actor,
    rolloutId: options.rolloutId,
    action: options.audit.action,
    subjectType: options.audit.subjectType,
    subjectId: options.audit.subjectId,
    reason: options.reason,
    before: single ? { version: applied[0]!.from } : null,
    after: single
      ? { version: applied[0]!.to, ...options.audit.details }
      : {
          ...options.audit.details,
          applied: applied.length,
          // Every change is in pin_events, site by site; the audit event names the exceptions.
          skipped: skipped.slice(0, 100).map((s) => ({ siteKey: s.siteKey, found: s.found })),
        },
  });
  return { applied, skipped, revision };
}

/**
 * One statement: the compare-and-set, the revision bump when anything changed (the fleet row
 * lock orders concurrent writers), and a pin event per changed site. Returns the new revision and
 * the 1-based positions of the changes that applied.
 */
async function compareAndSet(
  tx: Tx,
  options: { changes: PinChange[]; owner: string; reason: string; rolloutId: number | null },
): Promise<{ revision: bigint | null; positions: number[] }> {
  const { changes } = options;
  if (changes.length === 0) return { revision: null, positions: [] };
  const rows = await tx.$queryRaw<{ revision: bigint | null; applied: number[] | null }[]>`
    WITH wanted AS (
      SELECT * FROM unnest(${changes.map((c) => c.siteKey)}::text[], ${changes.map((c) => c.from)}::text[],
                           ${changes.map((c) => c.to)}::text[])
               WITH ORDINALITY AS w(site_key, from_version, to_version, n)
    ), changed AS (
      UPDATE sites s SET pinned_version = w.to_version, updated_at = now()
        FROM wanted w
       WHERE s.key = w.site_key AND s.pinned_version = w.from_version
      RETURNING s.key, w.from_version, w.to_version, w.n
    ), bumped AS (
      UPDATE fleet SET revision = revision + 1, updated_at = now()
       WHERE id = 1 AND EXISTS (SELECT FROM changed)
      RETURNING revision
    ), events AS (
      INSERT INTO pin_events (site_key, from_version, to_version, actor, reason, revision, rollout_id)
      SELECT c.key, c.from_version, c.to_version, ${options.owner}, ${options.reason}, b.revision, ${options.rolloutId}::int
        FROM changed c CROSS JOIN bumped b
    )
    SELECT (SELECT revision FROM bumped) AS revision, (SELECT array_agg(n::int) FROM changed) AS applied`;
  const positions = rows[0]?.applied ?? [];
  const revision = rows[0]?.revision;
  if (positions.length > 0 && (revision === null || revision === undefined)) {
    // Without the fleet row no pin event was written: refuse, and the transaction rolls back.
    throw new Error('the fleet row is missing; versions must be synced at start-up');
  }
  return { revision: positions.length > 0 ? BigInt(revision!) : null, positions };
}

export async function currentPins(tx: Tx, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ key: string; pinnedVersion: string }[]>`
    SELECT key, pinned_version AS "pinnedVersion" FROM sites WHERE key = ANY(${keys}::text[])`;
  return new Map(rows.map((r) => [r.key, r.pinnedVersion]));
}
