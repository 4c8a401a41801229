// Path and query parameters of the ingestion API's plain express routes. Each refuses bad input
// with a 400 naming the parameter, like the control plane's declared routes.
import { z } from 'zod';
import { ValidationError } from '../lib/errors.ts';
import { textProblem } from '../lib/storable-text.ts';

const SiteParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'is not a valid site key');

const Page = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  offset: z.coerce.number().int().min(0).max(2_147_483_647).default(0),
});

function parsed<T>(name: string, result: z.ZodSafeParseResult<T>): T {
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [name, ...issue.path.map(String)].join('.');
  throw new ValidationError(`${path}: ${issue.message}`, [{ path, message: issue.message }]);
}

export function siteFrom(value: unknown): string {
  return parsed('siteId', SiteParam.safeParse(value));
}

/** `?limit=&offset=` of a list. */
export function pageFrom(query: unknown): z.output<typeof Page> {
  return parsed('query', Page.safeParse(query ?? {}));
}

/** An import id from a path: any text a database can look up (unknown ids are a 404). */
export function importIdFrom(value: unknown): string {
  const id = String(value);
  const problem = id.length > 200 ? { message: 'is longer than 200 characters' } : textProblem(id);
  if (problem) {
    throw new ValidationError(`importId: ${problem.message}`, [
      { path: 'importId', message: problem.message },
    ]);
  }
  return id;
}
