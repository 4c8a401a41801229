import type { Db } from '../../db/database.ts';
import type { VersionStatus } from '../../db/generated/enums.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Actor } from '../../http/auth.ts';
import { ConflictError, NotFoundError, VersionRejectedError } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit-store.ts';
import type { VersionSource } from './version-source.ts';
import * as store from './version-store.ts';

export type VersionService = ReturnType<typeof createVersionService>;

export function createVersionService({ db, source }: { db: Db; source: VersionSource }) {
  const service = {
    /** Records the source's versions; the configured default applies only to a new fleet. */
    async sync(defaultVersion: string) {
      const declared = await source.list();
      const names = declared.map((v) => v.name);
      if (!names.includes(defaultVersion)) {
        throw new Error(
          `default version '${defaultVersion}' is not among the declared versions (${names.join(', ')})`,
        );
      }
      await store.insertMissingVersions(db, { names, source: source.name });
      await store.ensureFleet(db, defaultVersion);
    },

    list: () => store.findVersions(db),

    async get(name: string) {
      const version = (await store.findVersions(db)).find((v) => v.name === name);
      if (!version) throw new NotFoundError(`version '${name}' does not exist`);
      return version;
    },

    /** The default version for new sites: always explicit, never "latest". */
    async defaultVersion(tx: Tx = db): Promise<string> {
      const name = await store.findDefaultVersion(tx);
      if (!name)
        throw new Error('the fleet has no default version; start the server once to create it');
      return name;
    },

    requirePinnable: (tx: Tx, name: string, path = 'version') => requirePinnable(tx, name, path),

    async update(options: {
      name: string;
      status?: VersionStatus;
      makeDefault?: boolean;
      reason: string;
      actor: Actor;
    }) {
      await db.$transaction(async (tx) => {
        const version = await store.findVersion(tx, options.name);
        if (!version) throw new NotFoundError(`version '${options.name}' does not exist`);
        const currentDefault = await store.findDefaultVersion(tx);
        const status = options.status ?? version.status;
        const isDefault = options.makeDefault || currentDefault === options.name;
        if (isDefault && status === 'retired') {
          throw new ConflictError(
            `version '${options.name}' is the fleet default and cannot be retired; make another version the default first`,
          );
        }
        if (status !== version.status) {
          await store.updateVersionStatus(tx, options.name, status);
          await appendAudit(tx, {
            actor: options.actor,
            action: 'version.status_changed',
            subjectType: 'version',
            subjectId: options.name,
            reason: options.reason,
            before: { status: version.status },
            after: { status },
          });
        }
        if (options.makeDefault && currentDefault !== options.name) {
          await store.setDefaultVersion(tx, options.name);
          await appendAudit(tx, {
            actor: options.actor,
            action: 'fleet.default_version_changed',
            subjectType: 'fleet',
            subjectId: 'fleet',
            reason: options.reason,
            before: { defaultVersion: currentDefault },
            after: { defaultVersion: options.name },
          });
        }
      });
      return service.get(options.name);
    },
  };
  return service;
}

async function requirePinnable(tx: Tx, name: string, path: string): Promise<void> {
  const version = await store.findVersion(tx, name);
  if (!version) {
    const known = (await store.findVersions(tx)).map((v) => v.name).join(', ');
    throw new VersionRejectedError(
      `${path}: unknown version '${name}' (known versions: ${known})`,
      path,
    );
  }
  if (version.status === 'retired') {
    throw new VersionRejectedError(
      `${path}: version '${name}' is retired; choose an active version`,
      path,
    );
  }
}
