// Turns a bulk-import body (JSON `{sites: [...]}` or CSV) into candidate sites, each with the line
// it came from, so every problem can be reported where the user will look for it.
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors.ts';
import type { ErrorDetail } from '../../lib/errors.ts';
import { NewSite } from './site-schemas.ts';

export const maxImportSites = 100_000;
export type Candidate = { line: number; path: string; site: NewSite };
export type ParsedImport = { candidates: Candidate[]; errors: ErrorDetail[] };

export const ImportJsonBody = z.strictObject({
  sites: z
    .array(z.unknown())
    .min(1, 'send at least one site')
    .max(maxImportSites, `at most ${maxImportSites} sites per import`),
});

export function candidatesFromJson(items: unknown[]): ParsedImport {
  return validate(items.map((raw, i) => ({ line: i + 1, path: `sites[${i}]`, raw })));
}

/** CSV: a header row `key,name[,version][,label.<key>...]`, then one site per line. */
export function candidatesFromCsv(text: string): ParsedImport {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new ValidationError(`CSV line ${line ?? '?'}: ${(err as Error).message}`, [
      { line, message: (err as Error).message },
    ]);
  }
  const [header, ...rows] = records;
  if (!header) throw new ValidationError('CSV is empty: send a header row and at least one site');
  const columns = header.record;
  const unknown = columns.filter(
    (c) => !['key', 'name', 'version'].includes(c) && !c.startsWith('label.'),
  );
  if (unknown.length > 0 || !columns.includes('key') || !columns.includes('name')) {
    const message = `CSV line 1: the header needs "key" and "name", optionally "version" and "label.<key>" columns${
      unknown.length ? `; unknown column(s): ${unknown.join(', ')}` : ''
    }`;
    throw new ValidationError(message, [{ line: 1, message }]);
  }
  if (rows.length === 0) throw new ValidationError('CSV has a header but no sites');
  if (rows.length > maxImportSites)
    throw new ValidationError(`at most ${maxImportSites} sites per import`);
  return validate(
    rows.map(({ record, info }) => {
      const raw: Record<string, unknown> = { labels: {} };
      columns.forEach((column, i) => {
        const value = record[i] ?? '';
        if (column.startsWith('label.')) {
          if (value !== '') (raw.labels as Record<string, string>)[column.slice(6)] = value;
        } else if (value !== '' || column !== 'version') raw[column] = value;
      });
      return { line: info.lines, path: `line ${info.lines}`, raw };
    }),
  );
}

function validate(rows: { line: number; path: string; raw: unknown }[]): ParsedImport {
  const candidates: Candidate[] = [];
  const errors: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  for (const { line, path, raw } of rows) {
    const parsed = NewSite.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field =
          issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
        const message =
          issue.code === 'unrecognized_keys' ? `unknown field(s) ${field}` : issue.message;
        errors.push({ line, path: `${path}.${field}`, message });
      }
      continue;
    }
    const first = seen.get(parsed.data.key);
    if (first !== undefined) {
      errors.push({
        line,
        path: `${path}.key`,
        message: `duplicate key '${parsed.data.key}' (first on line ${first})`,
      });
      continue;
    }
    seen.set(parsed.data.key, line);
    candidates.push({ line, path, site: parsed.data });
  }
  return { candidates, errors };
}

/** All or nothing: any problem refuses the whole import, listing where each one is. */
export function rejectImport(errors: ErrorDetail[], total: number): never {
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const first = errors[0]!;
  const where = first.line === undefined ? '' : `line ${first.line}: `;
  throw new ValidationError(
    `${errors.length} problem(s) in ${total} site(s); nothing was imported. First: ${where}${first.path ?? ''} ${first.message}`.trim(),
    errors.slice(0, 100),
  );
}
