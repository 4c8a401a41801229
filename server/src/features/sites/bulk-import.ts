// Turns a bulk-import body (JSON `{sites: [...]}` or CSV) into candidate sites, each with the line
// it came from, so every problem can be reported where the user will look for it. 100,000 rows
// take about a second of parsing and validation: the work goes a slice at a time, with a turn of
// the event loop between slices, so SDK polls and health checks are answered meanwhile.
import { parse as csvParser } from 'csv-parse';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors.ts';
import type { ErrorDetail } from '../../lib/errors.ts';
import { NewSite } from './site-schemas.ts';

export const maxImportSites = 100_000;
export type Candidate = { line: number; path: string; site: NewSite };
export type ParsedImport = { candidates: Candidate[]; errors: ErrorDetail[] };
type Row = { line: number; path: string; raw: unknown };
type CsvRecord = { record: string[]; info: { lines: number } };

// A few milliseconds of work each on this project's 2-core machine, tens when it is busy.
const sliceRows = 1_000;
const sliceChars = 32 * 1024;

export const ImportJsonBody = z.strictObject({
  sites: z
    .array(z.unknown())
    .min(1, 'send at least one site')
    .max(maxImportSites, `at most ${maxImportSites} sites per import`),
});

export async function candidatesFromJson(items: unknown[]): Promise<ParsedImport> {
  const check = validator();
  for (let from = 0; from < items.length; from += sliceRows) {
    if (from > 0) await nextTurn();
    check.add(
      items
        .slice(from, from + sliceRows)
        .map((raw, i) => ({ line: from + i + 1, path: `sites[${from + i}]`, raw })),
    );
  }
  return check.result();
}

/** CSV: a header row `key,name[,version][,label.<key>...]`, then one site per line. */
export async function candidatesFromCsv(text: string): Promise<ParsedImport> {
  const check = validator();
  let columns: string[] | undefined;
  let rows = 0;
  for await (const records of csvRecords(text)) {
    if (records.length === 0) continue;
    const first = columns ? 0 : 1;
    columns ??= checkHeader(records[0]!.record);
    rows += records.length - first;
    if (rows > maxImportSites)
      throw new ValidationError(`at most ${maxImportSites} sites per import`);
    check.add(records.slice(first).map((r) => rowFromCsv(columns!, r)));
  }
  if (!columns) throw new ValidationError('CSV is empty: send a header row and at least one site');
  if (rows === 0) throw new ValidationError('CSV has a header but no sites');
  return check.result();
}

/** The records of `text`, parsed a slice at a time, with a turn of the event loop after each. */
async function* csvRecords(text: string): AsyncGenerator<CsvRecord[]> {
  const parser = csvParser({ bom: true, trim: true, skip_empty_lines: true, info: true });
  const parsed: CsvRecord[] = [];
  parser.on('data', (record: CsvRecord) => parsed.push(record));
  const done = finished(parser);
  done.catch(() => {}); // read below, after the last slice
  for (let at = 0; at < text.length;) {
    let end = Math.min(at + sliceChars, text.length);
    // Never between the two halves of a surrogate pair: each slice is encoded on its own.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    parser.write(text.slice(at, end));
    at = end;
    await nextTurn();
    if (parser.errored) throw csvError(parser.errored);
    yield parsed.splice(0);
  }
  parser.end();
  await done.catch((err: unknown) => {
    throw csvError(err);
  });
  yield parsed.splice(0);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

function csvError(err: unknown): ValidationError {
  const line = (err as { lines?: number }).lines;
  const message = (err as Error).message;
  return new ValidationError(`CSV line ${line ?? '?'}: ${message}`, [{ line, message }]);
}

function checkHeader(columns: string[]): string[] {
  const unknown = columns.filter(
    (c) => !['key', 'name', 'version'].includes(c) && !c.startsWith('label.'),
  );
  if (unknown.length > 0 || !columns.includes('key') || !columns.includes('name')) {
    const message = `CSV line 1: the header needs "key" and "name", optionally "version" and "label.<key>" columns${
      unknown.length ? `; unknown column(s): ${unknown.join(', ')}` : ''
    }`;
    throw new ValidationError(message, [{ line: 1, message }]);
  }
  return columns;
}

function rowFromCsv(columns: string[], { record, info }: CsvRecord): Row {
  const raw: Record<string, unknown> = { labels: {} };
  columns.forEach((column, i) => {
    const value = record[i] ?? '';
    if (column.startsWith('label.')) {
      if (value !== '') (raw.labels as Record<string, string>)[column.slice(6)] = value;
    } else if (value !== '' || column !== 'version') raw[column] = value;
  });
  return { line: info.lines, path: `line ${info.lines}`, raw };
}

/** Validates rows as they come; keys must be unique across the whole import. */
function validator() {
  const candidates: Candidate[] = [];
  const errors: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  return {
    add(rows: Row[]) {
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
    },
    result: (): ParsedImport => ({ candidates, errors }),
  };
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
