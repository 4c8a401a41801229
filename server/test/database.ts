import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import type { Database } from '../src/db/database.ts';

/**
 * A database of its own for one test file: PGlite in memory by default, or, when DATABASE_URL is
 * set, a fresh PostgreSQL database on that server, dropped on close.
 */
export async function testDatabase(): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return openDatabase({ dir: 'memory://' });
  const name = `pinion_test_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  return {
    ...database,
    async close() {
      await database.close();
      await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function onServer(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
