import { z } from 'zod';
import { ValidationError } from '../lib/errors.ts';

const SiteParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'is not a valid site key');

export const Page = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  offset: z.coerce.number().int().min(0).default(0),
});

export function siteFrom(value: unknown): string {
  const parsed = SiteParam.safeParse(value);
  if (!parsed.success)
    throw new ValidationError(`siteId: ${parsed.error.issues[0]!.message}`, [
      { path: 'siteId', message: parsed.error.issues[0]!.message },
    ]);
  return parsed.data;
}
