import { Link, useNavigate } from 'react-router';
import { paths } from '@/config/paths';
import { useMe } from '@/features/auth/api/get-me';
import { useCohorts } from '@/features/cohorts/api/get-cohorts';
import { SavedCohortPreview, SelectorPreview } from '@/features/cohorts/components/cohort-preview';
import { PlanRolloutForm } from '@/features/rollouts/components/plan-rollout-form';
import { useVersions } from '@/features/versions/api/get-versions';
import { hasRole } from '@/lib/authorization';

export function PlanRolloutRoute() {
  const navigate = useNavigate();
  const versions = useVersions();
  const cohorts = useCohorts();
  const role = useMe().data?.role;

  return (
    <>
      <p className="breadcrumb">
        <Link to={paths.rollouts.getHref()}>← Rollouts</Link>
      </p>
      <div className="page-header">
        <h1>Plan rollout</h1>
      </div>
      <PlanRolloutForm
        versions={versions.data}
        cohorts={cohorts.data}
        preview={(source) =>
          source.kind === 'selector' ? (
            <SelectorPreview selector={source.selector} />
          ) : (
            <SavedCohortPreview id={source.id} />
          )
        }
        disabledReason={
          role && !hasRole(role, 'release')
            ? `Planning rollouts needs the release role; you are signed in as ${role}.`
            : undefined
        }
        onPlanned={(rollout) => navigate(paths.rollout.getHref(rollout.id))}
      />
    </>
  );
}
