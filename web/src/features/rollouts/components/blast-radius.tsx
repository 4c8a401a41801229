import { useId } from 'react';
import type { Rollout } from '@/lib/api-types';
import { formatNumber, plural } from '@/lib/format';

const byCount = (a: [string, number], b: [string, number]) =>
  b[1] - a[1] || a[0].localeCompare(b[0]);

/** Exactly what the plan will change: how many sites, from which versions, with which labels. */
export function BlastRadius({ rollout }: { rollout: Rollout }) {
  const id = useId();
  const { summary } = rollout;
  const labels = Object.entries(summary.byLabel).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="blast-radius">
      <dl className="blast-figures">
        <div>
          <dt id={`${id}-count`}>Sites to change</dt>
          <dd className="blast-count" aria-labelledby={`${id}-count`}>
            {formatNumber(rollout.targetCount)}
          </dd>
        </div>
        <div>
          <dt id={`${id}-fingerprint`}>Fingerprint</dt>
          <dd className="blast-fingerprint mono" aria-labelledby={`${id}-fingerprint`}>
            {rollout.fingerprint}
          </dd>
        </div>
        <div>
          <dt>Target version</dt>
          <dd className="mono blast-version">{rollout.targetVersion}</dd>
        </div>
      </dl>
      {summary.alreadyOnTarget > 0 ? (
        <p className="muted">
          {plural(summary.alreadyOnTarget, 'selected site')} already on {rollout.targetVersion}{' '}
          {summary.alreadyOnTarget === 1 ? 'is' : 'are'} left out.
        </p>
      ) : null}
      <div className="blast-tables">
        <table className="table table-compact" aria-label="Sites by current version">
          <thead>
            <tr>
              <th scope="col">From version</th>
              <th scope="col" className="num">
                Sites
              </th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(summary.byFromVersion)
              .sort(byCount)
              .map(([version, n]) => (
                <tr key={version}>
                  <td className="mono">
                    {version} → {rollout.targetVersion}
                  </td>
                  <td className="num">{formatNumber(n)}</td>
                </tr>
              ))}
          </tbody>
        </table>
        <table className="table table-compact" aria-label="Sites per stage">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Sites
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.stageSizes.map((n, i) => (
              <tr key={i}>
                <td>
                  {i + 1} <span className="muted">({stageRule(rollout.stages[i])})</span>
                </td>
                <td className="num">{formatNumber(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="table table-compact" aria-label="Sites by label">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col" className="num">
                Sites
              </th>
            </tr>
          </thead>
          <tbody>
            {labels.length === 0 ? (
              <tr>
                <td colSpan={2} className="muted">
                  No labels on these sites.
                </td>
              </tr>
            ) : (
              labels.flatMap(([key, values]) =>
                Object.entries(values)
                  .sort(byCount)
                  .map(([value, n]) => (
                    <tr key={`${key}=${value}`}>
                      <td className="mono">
                        {key}={value}
                      </td>
                      <td className="num">{formatNumber(n)}</td>
                    </tr>
                  )),
              )
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function stageRule(stage: Rollout['stages'][number] | undefined): string {
  if (!stage) return '';
  return 'count' in stage ? `${plural(stage.count, 'canary site')}` : `up to ${stage.percent}%`;
}
