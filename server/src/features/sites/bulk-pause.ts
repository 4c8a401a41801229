import type { Db } from '../../db/database.ts';
import type { Actor } from '../../http/auth.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { RevisionWatcher } from '../client-api/revision-watcher.ts';
import { resolveKeys } from '../cohorts/resolve.ts';
import { setPausedMany } from './pause-sites.ts';

/**
 * Pauses or resumes every site of a selector, a list of keys, or a saved cohort — the on-call's
 * way to hold a whole group's imports (they are journaled and processed on resume, never lost).
 */
export async function pauseGroup(
  deps: { db: Db; revisions: RevisionWatcher },
  options: {
    paused: boolean;
    selector?: string;
    siteKeys?: string[];
    cohortId?: number;
    reason: string;
    actor: Actor;
  },
) {
  const result = await deps.db.$transaction(
    async (tx) => {
      let set: { selector?: string | null; siteKeys?: string[] } = {
        selector: options.selector,
        siteKeys: options.siteKeys,
      };
      if (options.cohortId !== undefined) {
        const cohort = await tx.cohort.findUnique({ where: { id: options.cohortId } });
        if (!cohort) throw new NotFoundError(`cohort ${options.cohortId} does not exist`);
        set = cohort;
      }
      const keys = await resolveKeys(tx, set);
      const changed = await setPausedMany(tx, {
        keys,
        paused: options.paused,
        actor: options.actor,
        reason: options.reason,
        audit: {
          subjectType: options.cohortId !== undefined ? 'cohort' : 'fleet',
          subjectId: String(options.cohortId ?? 'fleet'),
        },
      });
      return { matched: keys.length, ...changed };
    },
    { timeout: 120_000 },
  );
  if (result.revision) await deps.revisions.committed(result.revision);
  return {
    matched: result.matched,
    changed: result.changed.length,
    sites: result.changed.slice(0, 100),
  };
}
