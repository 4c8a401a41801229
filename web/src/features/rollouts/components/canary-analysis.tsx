import { useState } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/badge';
import type { BadgeTone } from '@/components/badge';
import { ErrorMessage } from '@/components/error-message';
import { Loading } from '@/components/loading';
import { paths } from '@/config/paths';
import type { CheckResult } from '@/lib/api-types';
import { formatNumber } from '@/lib/format';
import { useRolloutAnalysis } from '../api/get-rollout-analysis';
import type { SiteVerdict, StageAnalysis } from '../api/get-rollout-analysis';
import styles from './canary-analysis.module.css';

const outcomeTone: Record<string, BadgeTone> = {
  fail: 'danger',
  insufficient: 'warning',
  warn: 'warning',
  pass: 'success',
};
const outcomeRank: Record<string, number> = { fail: 0, insufficient: 1, warn: 2, pass: 3 };
const byOutcome = (a: { outcome: string }, b: { outcome: string }) =>
  (outcomeRank[a.outcome] ?? 9) - (outcomeRank[b.outcome] ?? 9);

const checkName = (check: string) => check.replaceAll('_', ' ');
const outcomeClass = (outcome: string) =>
  ({ fail: styles.fail, insufficient: styles.insufficient, warn: styles.warn, pass: styles.pass })[
    outcome
  ] ?? '';
const sitesShown = 10;

function Check({ result }: { result: CheckResult }) {
  return (
    <li className={`${styles.check} ${outcomeClass(result.outcome)}`}>
      <Badge tone={outcomeTone[result.outcome] ?? 'neutral'} className={styles.outcome}>
        {result.outcome}
      </Badge>
      <span className={styles.checkName}>
        {checkName(result.check)}
        {result.required ? null : <span className="muted"> (advisory)</span>}
      </span>
      <span className={styles.message}>{result.message}</span>
    </li>
  );
}

function Site({ site }: { site: SiteVerdict }) {
  return (
    <li className={`${styles.site} ${outcomeClass(site.outcome)}`}>
      <div className={styles.siteHead}>
        <Link to={paths.site.getHref(site.siteKey)} className="mono">
          {site.siteKey}
        </Link>
        <Badge tone={outcomeTone[site.outcome] ?? 'neutral'}>{site.outcome}</Badge>
      </div>
      <ul className={styles.list}>
        {[...site.checks].sort(byOutcome).map((c) => (
          <Check key={c.check} result={c} />
        ))}
      </ul>
    </li>
  );
}

function Stage({ stage }: { stage: StageAnalysis }) {
  const [all, setAll] = useState(false);
  // The server lists failing sites first; keep that order.
  const sites = all ? stage.sites : stage.sites.slice(0, sitesShown);
  const outcomes = Object.entries(stage.outcomes).sort(([a], [b]) =>
    byOutcome({ outcome: a }, { outcome: b }),
  );
  return (
    <section className={styles.stage} aria-label={`Stage ${stage.stage} analysis`}>
      <header className={styles.stageHead}>
        <h3>Stage {stage.stage}</h3>
        <span className="progress-counts">
          {outcomes.map(([outcome, n]) => (
            <Badge key={outcome} tone={outcomeTone[outcome] ?? 'neutral'}>
              {formatNumber(n)} {outcome}
            </Badge>
          ))}
        </span>
      </header>
      {stage.stageChecks.length > 0 ? (
        <ul className={styles.list} aria-label={`Stage ${stage.stage} checks`}>
          {[...stage.stageChecks].sort(byOutcome).map((c, i) => (
            <Check key={`${c.check}-${i}`} result={c} />
          ))}
        </ul>
      ) : null}
      {stage.sites.length > 0 ? (
        <ul className={styles.list} aria-label={`Stage ${stage.stage} sites`}>
          {sites.map((site) => (
            <Site key={site.siteKey} site={site} />
          ))}
        </ul>
      ) : null}
      {stage.sites.length > sitesShown ? (
        <button type="button" className="link-button" onClick={() => setAll(!all)}>
          {all ? 'Show fewer sites' : `Show all ${formatNumber(stage.sites.length)} sites`}
        </button>
      ) : null}
    </section>
  );
}

/** Each stage's verdicts: stage-wide comparisons, then every site's checks, failing first. */
export function CanaryAnalysis({
  rolloutId,
  live,
  enabled,
}: {
  rolloutId: number;
  live: boolean;
  enabled: boolean;
}) {
  const analysis = useRolloutAnalysis(rolloutId, live);
  if (analysis.isPending) return <Loading label="Loading canary analysis…" />;
  if (analysis.isError)
    return <ErrorMessage title="Could not load the canary analysis" error={analysis.error} />;
  const stages = [...analysis.data.stages].sort((a, b) => b.stage - a.stage);
  if (stages.length === 0) {
    return (
      <p className="muted">
        {enabled
          ? 'No verdicts yet: the checks run once a stage is applied and its sites report imports.'
          : 'Canary analysis is off for this rollout: stages pass on the bake rules alone.'}
      </p>
    );
  }
  return (
    <div className="stack">
      {stages.map((stage) => (
        <Stage key={stage.stage} stage={stage} />
      ))}
    </div>
  );
}
