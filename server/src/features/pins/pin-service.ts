import type { Db } from '../../db/database.ts';
import type { Actor } from '../../http/auth.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import type { RevisionWatcher } from '../client-api/revision-watcher.ts';
import { findLock } from '../rollouts/rollout-store.ts';
import { rolloutRef } from '../rollouts/rollout-state.ts';
import { findSite } from '../sites/site-store.ts';
import type { VersionService } from '../versions/versions-service.ts';
import { findPinHistory } from './pin-event-store.ts';
import { writePins } from './pin-writer.ts';

export type PinService = ReturnType<typeof createPinService>;

export function createPinService(deps: {
  db: Db;
  versions: VersionService;
  revisions: RevisionWatcher;
}) {
  const { db, versions, revisions } = deps;

  return {
    /**
     * Pins one site. `expectedVersion` is the pin the caller saw; when it no longer holds, the
     * change is refused rather than applied on top of someone else's.
     */
    async setPin(options: {
      siteKey: string;
      version: string;
      reason: string;
      expectedVersion?: string;
      actor: Actor;
    }) {
      const { siteKey, version } = options;
      const result = await db.$transaction(async (tx) => {
        const site = await findSite(tx, siteKey);
        if (!site) throw new NotFoundError(`site '${siteKey}' does not exist`);
        await versions.requirePinnable(tx, version);
        const lock = await findLock(tx, siteKey);
        if (lock) {
          throw new ConflictError(
            `site ${siteKey} is in active rollout ${rolloutRef(lock.rolloutId)}; finish or revert it first`,
            [],
            'site_in_rollout',
          );
        }
        const from = options.expectedVersion ?? site.pinnedVersion;
        if (from !== site.pinnedVersion) {
          throw new ConflictError(
            `site '${siteKey}' is pinned to ${site.pinnedVersion}, not ${from} as expected; reload it and decide again`,
            [{ path: 'expectedVersion', message: `current pin is ${site.pinnedVersion}` }],
            'pin_changed',
          );
        }
        const written = await writePins(tx, {
          changes: [{ siteKey, from, to: version }],
          actor: options.actor,
          reason: options.reason,
          audit: { action: 'pin.changed', subjectType: 'site', subjectId: siteKey },
        });
        if (written.skipped.length > 0) {
          throw new ConflictError(
            `site '${siteKey}' changed pin while this request ran; reload and try again`,
            [],
            'pin_changed',
          );
        }
        return written;
      });
      if (result.revision) await revisions.committed(result.revision);
      const site = await findSite(db, siteKey);
      return { site: site!, changed: result.applied.length > 0 };
    },

    async history(siteKey: string, limit: number) {
      if (!(await findSite(db, siteKey)))
        throw new NotFoundError(`site '${siteKey}' does not exist`);
      return findPinHistory(db, { siteKey, limit });
    },
  };
}
