import { useId } from 'react';
import type { ReactNode } from 'react';
import type { Rollout } from '@/lib/api-types';
import { formatNumber, plural } from '@/lib/format';
import styles from './blast-radius.module.css';

const byCount = (a: [string, number], b: [string, number]) =>
  b[1] - a[1] || a[0].localeCompare(b[0]);

/** Exactly what the plan will change: how many sites, from which versions, with which labels. */
export function BlastRadius({ rollout }: { rollout: Rollout }) {
  const id = useId();
  const { summary } = rollout;
  const labels = Object.entries(summary.byLabel).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className={styles.radius}>
      <dl className={styles.figures}>
        <div>
          <dt id={`${id}-count`}>Sites to change</dt>
          <dd aria-labelledby={`${id}-count`}>{formatNumber(rollout.targetCount)}</dd>
        </div>
        <div>
          <dt id={`${id}-fingerprint`}>Fingerprint</dt>
          <dd className="mono" aria-labelledby={`${id}-fingerprint`}>
            {rollout.fingerprint}
          </dd>
        </div>
        <div>
          <dt>Target version</dt>
          <dd className="mono">{rollout.targetVersion}</dd>
        </div>
      </dl>
      {summary.alreadyOnTarget > 0 ? (
        <p className="muted">
          {plural(summary.alreadyOnTarget, 'selected site')} already on {rollout.targetVersion}{' '}
          {summary.alreadyOnTarget === 1 ? 'is' : 'are'} left out.
        </p>
      ) : null}
      <div className={styles.tables}>
        <CountTable
          label="Sites by current version"
          heading="From version"
          rows={Object.entries(summary.byFromVersion)
            .sort(byCount)
            .map(([version, n]) => ({
              key: version,
              name: <span className="mono">{`${version} → ${rollout.targetVersion}`}</span>,
              n,
            }))}
        />
        <CountTable
          label="Sites per stage"
          heading="Stage"
          rows={summary.stageSizes.map((n, i) => ({
            key: String(i),
            name: (
              <>
                {i + 1} <span className="muted">({stageRule(rollout.stages[i])})</span>
              </>
            ),
            n,
          }))}
        />
        <CountTable
          label="Sites by label"
          heading="Label"
          empty="No labels on these sites."
          rows={labels.flatMap(([key, values]) =>
            Object.entries(values)
              .sort(byCount)
              .map(([value, n]) => ({
                key: `${key}=${value}`,
                name: <span className="mono">{`${key}=${value}`}</span>,
                n,
              })),
          )}
        />
      </div>
    </div>
  );
}

/** A two-column table: what is counted, and how many sites. */
function CountTable(props: {
  label: string;
  heading: string;
  rows: { key: string; name: ReactNode; n: number }[];
  empty?: string;
}) {
  return (
    <table className="table table-compact" aria-label={props.label}>
      <thead>
        <tr>
          <th scope="col">{props.heading}</th>
          <th scope="col" className="num">
            Sites
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 && props.empty ? (
          <tr>
            <td colSpan={2} className="muted">
              {props.empty}
            </td>
          </tr>
        ) : (
          props.rows.map((row) => (
            <tr key={row.key}>
              <td>{row.name}</td>
              <td className="num">{formatNumber(row.n)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

export function stageRule(stage: Rollout['stages'][number] | undefined): string {
  if (!stage) return '';
  return 'count' in stage ? `${plural(stage.count, 'canary site')}` : `up to ${stage.percent}%`;
}
