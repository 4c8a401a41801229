export function LabelList({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="labels" aria-label="Labels">
      {entries.map(([key, value]) => (
        <li key={key} className="label-chip">
          {key}={value}
        </li>
      ))}
    </ul>
  );
}
