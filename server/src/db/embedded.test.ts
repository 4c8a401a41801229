// The embedded database runs in a worker thread behind the PostgreSQL wire protocol: a long
// statement must not hold the process's event loop, and each connection must find the one PGlite
// session as a fresh PostgreSQL connection would.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/processes.ts';
import { openDatabase } from './database.ts';
import type { Database } from './database.ts';

describe('the embedded database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ dir: 'memory://' });
  });
  afterAll(() => database.close());

  it('runs a long statement while the event loop keeps turning', async () => {
    const events: string[] = [];
    const query = database.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM generate_series(1, 3000000)`.then((rows) => {
      events.push('query answered');
      return rows;
    });
    await new Promise((resolve) => setImmediate(resolve));
    events.push('event loop turned');
    const [row] = await query;
    expect(row!.n).toBe(3_000_000n);
    expect(events).toEqual(['event loop turned', 'query answered']);
  });

  it('reports a failed statement as an error, and the next statement runs', async () => {
    await expect(database.prisma.$queryRaw`SELECT 1 / 0`).rejects.toThrow(/division by zero/);
    const [row] = await database.prisma.$queryRaw<{ n: number }[]>`SELECT 2::int AS n`;
    expect(row!.n).toBe(2);
  });

  it('rolls back what a dropped connection left open, and serves the next one', async () => {
    await database.pool.query('CREATE TABLE dropped (id int)');
    const client = await database.pool.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO dropped VALUES (1)');
    // A parse error in the extended protocol leaves the session waiting for a Sync.
    await expect(client.query('SELEC $1::int', [1])).rejects.toThrow(/syntax error/);
    client.release(new Error('connection dropped by the test'));

    // Still in that transaction, this would fail (aborted) or count the row.
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM dropped');
    expect(rows[0].n).toBe(0);
  });
});

describe('an embedded database in a directory', () => {
  it('keeps its data across close and reopen, at once', async () => {
    const dir = await tempDir('pinion-embedded-');
    try {
      const first = await openDatabase({ dir: join(dir.path, 'db') });
      await first.pool.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
      await first.close();
      const second = await openDatabase({ dir: join(dir.path, 'db') });
      try {
        const { rows } = await second.pool.query('SELECT v FROM kept');
        expect(rows).toEqual([{ v: 'still here' }]);
      } finally {
        await second.close();
      }
    } finally {
      await dir.remove();
    }
  });

  it('refuses to open what is not a database directory, naming it', async () => {
    const dir = await tempDir('pinion-embedded-');
    try {
      const notADirectory = join(dir.path, 'file');
      await writeFile(notADirectory, 'not a database');
      await expect(openDatabase({ dir: notADirectory })).rejects.toThrow(notADirectory);
    } finally {
      await dir.remove();
    }
  });
});
