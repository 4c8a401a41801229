import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Db } from '../../db/database.ts';
import { buildFeatures, etagFor } from './features-payload.ts';
import type { SiteState } from './features-payload.ts';
import type { RevisionWatcher } from './revision-watcher.ts';

const gzip = promisify(gzipCallback);

export type FeaturesSnapshot = { revision: bigint; etag: string; json: Buffer; gzip: Buffer };

/**
 * The features payload, serialized and compressed once per revision. Requests for the current
 * revision are served from memory; the first request after a change rebuilds it, and concurrent
 * requests share that one build.
 */
export class FeaturesCache {
  #snapshot: FeaturesSnapshot | undefined;
  #building: Promise<FeaturesSnapshot> | undefined;
  readonly #db: Db;
  readonly #revisions: RevisionWatcher;

  constructor(deps: { db: Db; revisions: RevisionWatcher }) {
    this.#db = deps.db;
    this.#revisions = deps.revisions;
  }

  async get(): Promise<FeaturesSnapshot> {
    const snapshot = this.#snapshot;
    if (snapshot && snapshot.revision >= this.#revisions.current) return snapshot;
    this.#building ??= this.#build().finally(() => (this.#building = undefined));
    return this.#building;
  }

  async #build(): Promise<FeaturesSnapshot> {
    // Revision and sites read in one snapshot, so the payload is exactly that revision's state.
    const { revision, sites } = await this.#db.$transaction(
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
    const json = Buffer.from(JSON.stringify(buildFeatures({ revision, sites })));
    const snapshot = { revision, etag: etagFor(revision), json, gzip: await gzip(json) };
    this.#revisions.committed(revision);
    if (!this.#snapshot || snapshot.revision > this.#snapshot.revision) this.#snapshot = snapshot;
    return this.#snapshot;
  }
}
