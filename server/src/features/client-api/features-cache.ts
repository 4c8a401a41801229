import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../lib/logger.ts';
import { buildFeatures, etagFor } from './features-payload.ts';
import { readFleetState } from './features-store.ts';
import type { FleetState } from './features-store.ts';
import type { RevisionWatcher } from './revision-watcher.ts';

const gzip = promisify(gzipCallback);

export type FeaturesSnapshot = { revision: bigint; etag: string; json: Buffer; gzip: Buffer };

/**
 * The features payload, serialized and compressed once per revision and served from memory. A
 * new revision starts a build at once; until it is built, requests get the last snapshot (an SDK
 * holding it gets a 304), so a poll never waits for a build. A change reaches an SDK after the
 * build and its next poll, as when the first poll after a change waited for the build. Writers
 * in this process wait for the build instead (`RevisionWatcher.committed`): once a pin change is
 * answered, the next poll gets it.
 */
export class FeaturesCache {
  #snapshot: FeaturesSnapshot | undefined;
  #building: Promise<FeaturesSnapshot> | undefined;
  readonly #db: Db;
  readonly #revisions: RevisionWatcher;
  readonly #logger: Logger | undefined;
  readonly #read: (db: Db) => Promise<FleetState>;

  constructor(deps: {
    db: Db;
    revisions: RevisionWatcher;
    logger?: Logger;
    /** How the state is read; a test holds a build here. */
    read?: (db: Db) => Promise<FleetState>;
  }) {
    this.#db = deps.db;
    this.#revisions = deps.revisions;
    this.#logger = deps.logger;
    this.#read = deps.read ?? readFleetState;
    this.#revisions.on('changed', () => this.#refresh());
    this.#revisions.publishWith((revision) => this.#published(revision));
  }

  /**
   * The snapshot to serve. Only two requests wait for a build: the first ones, before any
   * snapshot exists, and a client that already holds a newer revision than the snapshot (from
   * another replica): sending it the older payload would take its pins back in time.
   */
  async get(options: { held?: bigint } = {}): Promise<FeaturesSnapshot> {
    const snapshot = this.#snapshot;
    if (!snapshot || snapshot.revision < this.#revisions.current) this.#refresh();
    const { held } = options;
    const behindClient =
      snapshot && held !== undefined && held > snapshot.revision && held <= this.#revisions.current;
    return snapshot && !behindClient ? snapshot : this.#building!;
  }

  /** Resolves once `revision` or a newer one is served, or when building it failed. */
  async #published(revision: bigint): Promise<void> {
    while (!this.#snapshot || this.#snapshot.revision < revision) {
      if (!this.#building) this.#refresh();
      const failed = await this.#building!.then(
        () => false,
        () => true,
      );
      if (failed) return;
    }
  }

  /** Starts a build unless one runs; a revision that arrives meanwhile gets the next one. */
  #refresh(): void {
    if (this.#building) return;
    const building = this.#build();
    this.#building = building;
    building.then(
      (snapshot) => {
        this.#building = undefined;
        if (snapshot.revision < this.#revisions.current) this.#refresh();
      },
      (err: unknown) => {
        // Requests keep the last snapshot; the next change or request tries again.
        this.#building = undefined;
        this.#logger?.warn({ err }, 'building the features payload failed');
      },
    );
  }

  async #build(): Promise<FeaturesSnapshot> {
    const { revision, sites } = await this.#read(this.#db);
    const json = Buffer.from(JSON.stringify(buildFeatures({ revision, sites })));
    const snapshot = { revision, etag: etagFor(revision), json, gzip: await gzip(json) };
    this.#revisions.seen(revision);
    if (!this.#snapshot || snapshot.revision > this.#snapshot.revision) this.#snapshot = snapshot;
    return this.#snapshot;
  }
}
