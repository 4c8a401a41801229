import type { Db } from '../../db/database.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Actor } from '../../http/auth.ts';
import { ConflictError, NotFoundError, VersionRejectedError } from '../../lib/errors.ts';
import type { ErrorDetail } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit-store.ts';
import { bumpRevision } from '../client-api/revision-store.ts';
import type { RevisionWatcher } from '../client-api/revision-watcher.ts';
import { insertInitialPinEvents } from '../pins/pin-event-store.ts';
import type { VersionService } from '../versions/versions-service.ts';
import { rejectImport } from './bulk-import.ts';
import { pauseGroup } from './bulk-pause.ts';
import { setPausedMany } from './pause-sites.ts';
import type { Candidate, ParsedImport } from './bulk-import.ts';
import type { NewSite, SiteListQuery } from './site-schemas.ts';
import * as store from './site-store.ts';

export type SiteService = ReturnType<typeof createSiteService>;

export function createSiteService(deps: {
  db: Db;
  versions: VersionService;
  revisions: RevisionWatcher;
}) {
  const { db, versions, revisions } = deps;

  /**
   * Inserts new sites, each pinned explicitly (to its own version or the fleet default), with
   * their first pin events, in one transaction. Existing sites are never touched: a key that
   * exists is an error, so an import can never change anyone's pin.
   */
  async function insert(options: {
    candidates: Candidate[];
    parseErrors?: ErrorDetail[];
    actor: Actor;
    reason: string;
    single: boolean;
  }) {
    const { candidates, actor } = options;
    const revision = await db.$transaction(
      async (tx) => {
        const fallback = await versions.defaultVersion(tx);
        if (options.single) await checkOne(tx, candidates[0]!.site, fallback);
        else await checkAll(tx, candidates, fallback, options.parseErrors ?? []);
        const rows = candidates.map(({ site }) => ({
          key: site.key,
          name: site.name,
          labels: site.labels,
          pinnedVersion: site.version ?? fallback,
        }));
        await store.insertSites(tx, rows);
        const revision = await bumpRevision(tx);
        for (const chunk of store.chunks(rows, store.bulkChunk)) {
          await insertInitialPinEvents(tx, {
            pins: chunk.map((r) => ({ siteKey: r.key, version: r.pinnedVersion })),
            actor,
            reason: options.reason,
            revision,
          });
        }
        await appendAudit(tx, {
          actor,
          action: options.single ? 'site.created' : 'sites.imported',
          subjectType: options.single ? 'site' : 'fleet',
          subjectId: options.single ? rows[0]!.key : 'fleet',
          reason: options.reason,
          after: options.single
            ? rows[0]!
            : { count: rows.length, first: rows[0]!.key, last: rows.at(-1)!.key },
        });
        return revision;
      },
      { timeout: 180_000, maxWait: 10_000 },
    );
    await revisions.committed(revision);
  }

  /** One site: the specific error (409 exists, 422 version) is the clearest answer. */
  async function checkOne(tx: Tx, site: NewSite, fallback: string) {
    await versions.requirePinnable(tx, site.version ?? fallback);
    if ((await store.findExistingKeys(tx, [site.key])).size > 0) {
      throw new ConflictError(
        `site '${site.key}' already exists`,
        [{ path: 'key', message: 'already exists' }],
        'site_exists',
      );
    }
  }

  /** Many sites: every problem, with its line, in one answer. */
  async function checkAll(
    tx: Tx,
    candidates: Candidate[],
    fallback: string,
    parseErrors: ErrorDetail[],
  ) {
    const refused = new Map<string, string>();
    for (const version of new Set(candidates.map((c) => c.site.version ?? fallback))) {
      await versions.requirePinnable(tx, version).catch((err: unknown) => {
        if (!(err instanceof VersionRejectedError)) throw err;
        refused.set(version, err.message.replace(/^version: /, ''));
      });
    }
    const existing = await store.findExistingKeys(
      tx,
      candidates.map((c) => c.site.key),
    );
    const errors: ErrorDetail[] = [...parseErrors];
    for (const { line, path, site } of candidates) {
      if (existing.has(site.key))
        errors.push({ line, path: `${path}.key`, message: `site '${site.key}' already exists` });
      const refusal = refused.get(site.version ?? fallback);
      if (refusal) errors.push({ line, path: `${path}.version`, message: refusal });
    }
    if (errors.length > 0) rejectImport(errors, candidates.length + parseErrors.length);
  }

  async function get(key: string) {
    const site = await store.findSite(db, key);
    if (!site) throw new NotFoundError(`site '${key}' does not exist`);
    return site;
  }

  async function setPaused(options: {
    key: string;
    paused: boolean;
    reason: string;
    actor: Actor;
  }) {
    const { revision } = await db.$transaction(async (tx) => {
      if (!(await store.findSite(tx, options.key)))
        throw new NotFoundError(`site '${options.key}' does not exist`);
      return setPausedMany(tx, {
        ...options,
        keys: [options.key],
        audit: { subjectType: 'site', subjectId: options.key },
      });
    });
    if (revision) await revisions.committed(revision);
    return get(options.key);
  }

  return {
    async create(options: { site: NewSite; actor: Actor }) {
      await insert({
        candidates: [{ line: 1, path: 'body', site: options.site }],
        actor: options.actor,
        reason: 'site created',
        single: true,
      });
      return get(options.site.key);
    },

    /** All or nothing; problems found while parsing are reported with those found here. */
    async importMany(options: { parsed: ParsedImport; actor: Actor }) {
      const { candidates, errors } = options.parsed;
      await insert({
        candidates,
        parseErrors: errors,
        actor: options.actor,
        reason: 'site imported',
        single: false,
      });
      return { imported: candidates.length };
    },

    get,
    list: (query: SiteListQuery) => store.findSites(db, query),
    pauseGroup: (options: Omit<Parameters<typeof pauseGroup>[1], never>) =>
      pauseGroup({ db, revisions }, options),
    setPaused,
  };
}
