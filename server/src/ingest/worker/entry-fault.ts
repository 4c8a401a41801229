/**
 * SQLSTATE classes that say the statement's data was refused, whatever the moment: 22 (data
 * exception: NUL in text, a lone surrogate in JSON, a value out of range) and 54 (program limit
 * exceeded: nesting too deep for jsonb). Retrying the same entry gets the same answer.
 */
const dataClasses = ['22', '54'];

/** The five-character SQLSTATE of a database error, wherever the driver adapter put it. */
export function sqlState(err: unknown): string | undefined {
  const e = err as {
    code?: unknown;
    message?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } };
    cause?: { code?: unknown; originalCode?: unknown };
  };
  const cause = e?.meta?.driverAdapterError?.cause;
  // Prisma's own codes (P2010: raw query failed) look like SQLSTATEs; PostgreSQL's P0 class does not
  // reach here.
  const own = typeof e?.code === 'string' && /^P[1-9]/.test(e.code) ? undefined : e?.code;
  const candidates = [
    cause?.originalCode,
    cause?.code,
    e?.cause?.originalCode,
    e?.cause?.code,
    own,
  ];
  const found = candidates.find((c) => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c));
  if (typeof found === 'string') return found;
  // Prisma's message for a raw query: "Raw query failed. Code: `22P05`. Message: `…`".
  const quoted = typeof e?.message === 'string' ? /Code: `([0-9A-Z]{5})`/.exec(e.message) : null;
  return quoted?.[1];
}

/**
 * Why a failure to process an entry is the entry's own — the same entry would fail again on any
 * attempt — or undefined when it may be transient (a lost connection, a serialization failure, a
 * timeout) and deserves another try after a back-off.
 */
export function entryFault(err: unknown): string | undefined {
  const code = sqlState(err);
  const text = errorText(err);
  if (code && dataClasses.includes(code.slice(0, 2))) {
    return `the database refused its data (${code}: ${text})`;
  }
  // Too deep or too large for the JavaScript engine itself (JSON.stringify of absurd nesting).
  if (err instanceof RangeError) return `its data exceeds a limit (${err.message})`;
  return undefined;
}

function errorText(err: unknown): string {
  const e = err as { meta?: { driverAdapterError?: { cause?: { message?: unknown } } } };
  const message = e?.meta?.driverAdapterError?.cause?.message;
  if (typeof message === 'string') return message;
  return err instanceof Error ? err.message.trim().split('\n').at(-1)! : String(err);
}
