import type { Db } from '../../db/database.ts';
import type { Actor } from '../../http/auth.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { appendAudit } from '../audit/audit-store.ts';
import { fingerprintOf, resolveSites } from '../cohorts/resolve.ts';
import type { VersionService } from '../versions/versions-service.ts';
import type { CreateRolloutBody } from './rollout-schemas.ts';
import { claimSites, insertTargets } from './rollout-store.ts';
import { rolloutRef } from './rollout-state.ts';
import { assignStages, blastRadius } from './stage-plan.ts';

/**
 * Makes a plan: resolves the cohort once, freezes every target site with its current pin, claims
 * those sites for this rollout, and records the blast radius. Nothing is pinned yet.
 */
export async function planRollout(
  deps: { db: Db; versions: VersionService; approvalThreshold: number },
  options: { body: CreateRolloutBody; actor: Actor },
) {
  const { body, actor } = options;
  return deps.db.$transaction(
    async (tx) => {
      await deps.versions.requirePinnable(tx, body.targetVersion, 'targetVersion');
      let set: { selector?: string | null; siteKeys?: string[] } = {
        selector: body.selector,
        siteKeys: body.siteKeys,
      };
      if (body.cohortId !== undefined) {
        const cohort = await tx.cohort.findUnique({ where: { id: body.cohortId } });
        if (!cohort) throw new NotFoundError(`cohort ${body.cohortId} does not exist`);
        set = { selector: cohort.selector, siteKeys: cohort.siteKeys };
      }
      const sites = await resolveSites(tx, set);
      const targets = sites.filter((s) => s.pinnedVersion !== body.targetVersion);
      if (targets.length === 0) {
        const why =
          sites.length === 0
            ? 'the selection matches no site'
            : `all ${sites.length} selected sites are already on ${body.targetVersion}`;
        throw new ValidationError(`nothing to roll out: ${why}`, [{ path: 'body', message: why }]);
      }
      const fingerprint = fingerprintOf(targets.map((t) => t.key));
      const staged = assignStages({
        sites: targets,
        stages: body.stages,
        seed: `${body.targetVersion}:${fingerprint}`,
      });
      const summary = blastRadius({
        staged,
        stageCount: body.stages.length,
        alreadyOnTarget: sites.length - targets.length,
      });
      const approvalRequired = targets.length > deps.approvalThreshold;

      const rollout = await tx.rollout.create({
        data: {
          targetVersion: body.targetVersion,
          cohortId: body.cohortId ?? null,
          selector: set.selector ?? null,
          siteKeys: set.siteKeys ?? [],
          description: body.description,
          state: approvalRequired ? 'awaiting_approval' : 'planned',
          stages: body.stages,
          bake: body.bake,
          checkPolicy: body.checks,
          revertPolicy: body.revertPolicy,
          targetCount: targets.length,
          fingerprint,
          summary,
          approvalRequired,
          createdBy: actor.owner,
        },
      });
      await claimSites(
        tx,
        rollout.id,
        targets.map((t) => t.key),
      );
      await insertTargets(tx, rollout.id, staged);
      await appendAudit(tx, {
        actor,
        rolloutId: rollout.id,
        action: 'rollout.planned',
        subjectType: 'rollout',
        subjectId: String(rollout.id),
        reason: body.description || null,
        after: {
          ref: rolloutRef(rollout.id),
          targetVersion: body.targetVersion,
          sites: targets.length,
          fingerprint,
          selector: set.selector ?? null,
          ...summary,
        },
      });
      return rollout.id;
    },
    { timeout: 180_000, maxWait: 10_000 },
  );
}
