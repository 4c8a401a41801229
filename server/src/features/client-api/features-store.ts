import type { Db } from '../../db/database.ts';
import type { SiteState } from './features-payload.ts';

export type FleetState = { revision: bigint; sites: SiteState[] };

/** The revision and every site's pin and pause, read in one snapshot: exactly that revision. */
export async function readFleetState(db: Db): Promise<FleetState> {
  return db.$transaction(
    async (tx) => {
      const fleet = await tx.fleet.findUniqueOrThrow({
        where: { id: 1 },
        select: { revision: true },
      });
      const sites = await tx.$queryRaw<SiteState[]>`
        SELECT key, pinned_version AS "pinnedVersion", paused FROM sites ORDER BY key`;
      return { revision: fleet.revision, sites };
    },
    { isolationLevel: 'RepeatableRead', timeout: 60_000 },
  );
}
