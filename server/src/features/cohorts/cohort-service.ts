import type { Db } from '../../db/database.ts';
import { ConflictError, NotFoundError } from '../../lib/errors.ts';
import type { Actor } from '../../http/auth.ts';
import { appendAudit } from '../audit/audit-store.ts';
import { fingerprintOf, resolveKeys, sampleOf } from './resolve.ts';
import type { SiteSet } from './resolve.ts';

export type CohortService = ReturnType<typeof createCohortService>;

export function createCohortService({ db }: { db: Db }) {
  async function preview(set: SiteSet) {
    const keys = await resolveKeys(db, set);
    return { count: keys.length, fingerprint: fingerprintOf(keys), sample: sampleOf(keys) };
  }

  async function get(id: number) {
    const cohort = await db.cohort.findUnique({ where: { id } });
    if (!cohort) throw new NotFoundError(`cohort ${id} does not exist`);
    return { ...cohort, ...(await preview(cohort)) };
  }

  return {
    preview,
    get,
    list: () => db.cohort.findMany({ orderBy: { name: 'asc' } }),

    async create(options: {
      name: string;
      description: string;
      selector?: string;
      siteKeys: string[];
      actor: Actor;
    }) {
      await preview(options); // refuses bad selectors and unknown keys before anything is saved
      const cohort = await db.$transaction(async (tx) => {
        if (await tx.cohort.findUnique({ where: { name: options.name } })) {
          throw new ConflictError(`a cohort named '${options.name}' already exists`, [
            { path: 'name', message: 'taken' },
          ]);
        }
        const created = await tx.cohort.create({
          data: {
            name: options.name,
            description: options.description,
            selector: options.selector?.trim() || null,
            siteKeys: options.siteKeys,
            createdBy: options.actor.owner,
          },
        });
        await appendAudit(tx, {
          actor: options.actor,
          action: 'cohort.created',
          subjectType: 'cohort',
          subjectId: String(created.id),
          after: {
            name: created.name,
            selector: created.selector,
            siteKeys: created.siteKeys.length,
          },
        });
        return created;
      });
      return get(cohort.id);
    },
  };
}
