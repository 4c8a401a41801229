// Which processing failures are an entry's own (fail it now) and which may pass (back off, retry).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/database.ts';
import { entryFault, sqlState } from './entry-fault.ts';

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/** The error the database really gives for a statement, as the worker would catch it. */
const refusal = (run: (db: Database['prisma']) => Promise<unknown>) =>
  database.prisma
    .$transaction((tx) => run(tx as Database['prisma']))
    .then(
      () => undefined,
      (err: unknown) => err,
    );

describe('entryFault', () => {
  it('blames the entry for data PostgreSQL refuses to store', async () => {
    const nulInJson = await refusal((db) => db.$executeRaw`SELECT ${'[{"n":"\\u0000"}]'}::jsonb`);
    expect(sqlState(nulInJson)).toBe('22P05');
    expect(entryFault(nulInJson)).toBe(
      'the database refused its data (22P05: unsupported Unicode escape sequence)',
    );
    const nulInText = await refusal((db) => db.$executeRaw`SELECT ${'a\u0000b'}::text`);
    expect(entryFault(nulInText)).toMatch(/^the database refused its data \(22021: /);
    const loneSurrogate = await refusal((db) => db.$executeRaw`SELECT ${'["\\ud800"]'}::jsonb`);
    expect(entryFault(loneSurrogate)).toMatch(/^the database refused its data \(22P02: /);
    expect(entryFault(new RangeError('Maximum call stack size exceeded'))).toBe(
      'its data exceeds a limit (Maximum call stack size exceeded)',
    );
  });

  it('does not blame the entry for failures that may pass', async () => {
    const serialization = Object.assign(new Error('Raw query failed. Code: `40001`.'), {
      code: 'P2010',
    });
    expect(sqlState(serialization)).toBe('40001');
    expect(entryFault(serialization)).toBeUndefined();
    expect(entryFault(new Error('Connection terminated unexpectedly'))).toBeUndefined();
    expect(entryFault(Object.assign(new Error('gone'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(entryFault(Object.assign(new Error('timeout'), { code: 'P2028' }))).toBeUndefined();
  });
});
