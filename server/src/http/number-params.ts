// Numbers from requests that reach integer columns. PostgreSQL `integer` stops at 2^31 - 1 and
// `bigint` at 2^63 - 1; a larger value fails the statement, so it is refused here with a 400 that
// names the field instead of surfacing as a 500.
import { z } from 'zod';

export const maxInt4 = 2_147_483_647;
const maxInt8 = 9_223_372_036_854_775_807n;

const tooBig = `must be at most ${maxInt4}`;

/** A row id in a path or query (`integer` serial): 1 … 2^31 - 1. */
export const IntId = z.coerce.number().int().positive().max(maxInt4, tooBig);

/** A count or other non-negative integer in a JSON body that is stored in an `integer` column. */
export const IntCount = z.number().int().min(0).max(maxInt4, tooBig);

/** A positive id in a JSON body (cohortId, repairId). */
export const IntIdBody = z.number().int().positive().max(maxInt4, tooBig);

/** `?limit=` between 1 and `max`. */
export const Limit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

/** `?offset=` for paging. */
export const Offset = z.coerce.number().int().min(0).max(maxInt4, tooBig).default(0);

/** An id that may carry a prefix, like a rollout's `r-12` or plain `12`. */
export const PrefixedId = (prefix: string, noun: string) =>
  z
    .string()
    .regex(new RegExp(`^(${prefix}-)?\\d{1,10}$`), `use a ${noun} id such as 12 or ${prefix}-12`)
    .transform((s) => Number(s.slice(s.startsWith(`${prefix}-`) ? prefix.length + 1 : 0)))
    .pipe(z.number().positive(`use a ${noun} id above 0`).max(maxInt4, tooBig));

/** A `bigint` id as a decimal string (audit events, notifications), e.g. a paging cursor. */
export const BigIntId = (what: string) =>
  z
    .string()
    .regex(/^\d{1,19}$/, `must be ${what}`)
    // zod runs this check even when the pattern failed: BigInt() must only see digits
    .refine((s) => !/^\d{1,19}$/.test(s) || BigInt(s) <= maxInt8, `must be ${what}`);

/** A point in time PostgreSQL can store and a person may mean: years 1 to 9999. */
export const QueryDate = z.coerce
  .date()
  .min(new Date('0001-01-01T00:00:00Z'), 'must be in year 1 or later')
  .max(new Date('9999-12-31T23:59:59.999Z'), 'must be in year 9999 or earlier');
