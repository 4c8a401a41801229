// A PostgreSQL restart or a terminated backend ends the pool's idle connections. The process
// must survive it and the next query must work: "a database restart loses nothing".
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/database.ts';

describe.skipIf(!process.env.DATABASE_URL)('losing idle PostgreSQL connections', () => {
  it('keeps the process alive and serves the next query on a new connection', async () => {
    const database = await testDatabase();
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const db = database.prisma;
      // Several idle connections in the pool.
      await Promise.all([1, 2, 3].map(() => db.$queryRaw`SELECT pg_sleep(0.05)::text`));
      const { rows } = await admin.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [(await db.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`)[0]!.name],
      );
      expect(rows.filter((r) => r.ok).length).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [row] = await db.$queryRaw<{ n: number }[]>`SELECT 1::int AS n`;
      expect(row!.n).toBe(1);

      // A connection held by a transaction between two statements, ended under it: the
      // transaction fails, the process does not.
      const held = db.$transaction(async (tx) => {
        const [{ pid }] = (await tx.$queryRaw<
          { pid: number }[]
        >`SELECT pg_backend_pid() AS pid`) as [{ pid: number }];
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await tx.$queryRaw`SELECT 1`;
      });
      await expect(held).rejects.toThrow();
      const [again] = await db.$queryRaw<{ n: number }[]>`SELECT 2::int AS n`;
      expect(again!.n).toBe(2);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
      await database.close();
    }
  });
});
