import { ApiError } from '@/lib/api-client';

/** Shows what went wrong in the server's own words, with the field details it gave. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  const message = error instanceof Error ? error.message : 'something went wrong';
  const details =
    error instanceof ApiError ? error.details.filter((d) => d.message !== message) : [];
  return (
    <div role="alert" className="alert alert-error">
      {title ? <strong className="alert-title">{title}</strong> : null}
      <p>{message}</p>
      {details.length > 0 ? (
        <ul className="alert-details">
          {details.map((d, i) => (
            <li key={i}>
              {d.path ? <code>{d.path}</code> : null} {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
