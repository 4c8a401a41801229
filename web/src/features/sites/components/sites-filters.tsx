import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Version } from '@/lib/api-types';
import { describedBy, FieldError } from '@/components/field-error';
import { labelSelectorPattern } from '../site-filters';
import type { PausedFilter, SiteFilters } from '../site-filters';
import styles from './sites-filters.module.css';

function versionLabel(version: Version): string {
  const notes = [`${version.siteCount} ${version.siteCount === 1 ? 'site' : 'sites'}`];
  if (version.status !== 'active') notes.push(version.status);
  return `${version.name} (${notes.join(', ')})`;
}

/**
 * Text and label inputs apply on submit (Enter or "Search"); selects apply at once. Every change
 * returns to page 1. Render with `key` set to the current URL so the inputs follow back/forward.
 */
export function SitesFilters({
  filters,
  versions,
  onChange,
}: {
  filters: SiteFilters;
  versions: Version[] | undefined;
  onChange: (filters: SiteFilters) => void;
}) {
  const [q, setQ] = useState(filters.q);
  const [labelDraft, setLabelDraft] = useState('');
  const [labelError, setLabelError] = useState<string | null>(null);

  const apply = (change: Partial<SiteFilters>) => onChange({ ...filters, ...change, page: 1 });

  /** Returns the labels with the draft added, or undefined when the draft is not key=value. */
  function labelsWithDraft(): string[] | undefined {
    const draft = labelDraft.trim();
    if (!draft) return filters.labels;
    if (!labelSelectorPattern.test(draft)) {
      setLabelError('Write a label as key=value, e.g. region=eu.');
      return undefined;
    }
    setLabelError(null);
    setLabelDraft('');
    return filters.labels.includes(draft) ? filters.labels : [...filters.labels, draft];
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const labels = labelsWithDraft();
    if (labels) apply({ q: q.trim(), labels });
  }

  function addLabel() {
    const labels = labelsWithDraft();
    if (labels) apply({ labels });
  }

  const hasFilters =
    filters.q || filters.version || filters.paused || filters.labels.length > 0 || q;

  return (
    <form role="search" aria-label="Filter sites" className="filters" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="filter-q">Search</label>
        <input
          id="filter-q"
          type="search"
          placeholder="Key or name"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-version">Version</label>
        <select
          id="filter-version"
          value={filters.version}
          onChange={(e) => apply({ version: e.target.value })}
        >
          <option value="">All versions</option>
          {versions?.map((v) => (
            <option key={v.name} value={v.name}>
              {versionLabel(v)}
            </option>
          ))}
          {filters.version && !versions?.some((v) => v.name === filters.version) ? (
            <option value={filters.version}>{filters.version}</option>
          ) : null}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-paused">Paused</label>
        <select
          id="filter-paused"
          value={filters.paused}
          onChange={(e) => apply({ paused: e.target.value as PausedFilter })}
        >
          <option value="">Any</option>
          <option value="true">Paused</option>
          <option value="false">Not paused</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-label">Label</label>
        <div className="input-group">
          <input
            id="filter-label"
            placeholder="key=value"
            spellCheck={false}
            value={labelDraft}
            onChange={(e) => setLabelDraft(e.target.value)}
            {...describedBy(labelError ?? undefined, 'filter-label-error')}
          />
          <button type="button" className="button" onClick={addLabel}>
            Add label
          </button>
        </div>
        <FieldError id="filter-label-error" message={labelError ?? undefined} />
      </div>
      <div className={styles.actions}>
        <button type="submit" className="button button-primary">
          Search
        </button>
        {hasFilters ? (
          <button
            type="button"
            className="button button-ghost"
            onClick={() => {
              setQ('');
              setLabelDraft('');
              setLabelError(null);
              apply({ q: '', version: '', paused: '', labels: [] });
            }}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      {filters.labels.length > 0 ? (
        <ul className={`labels ${styles.chosen}`} aria-label="Label filters">
          {filters.labels.map((label) => (
            <li key={label} className="label-chip">
              {label}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove label filter ${label}`}
                onClick={() => apply({ labels: filters.labels.filter((l) => l !== label) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
