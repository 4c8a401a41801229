import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openEmbedded } from './embedded.ts';
import { PrismaClient } from './generated/client.ts';

export type Db = PrismaClient;

/** Where the data lives: a PostgreSQL URL, or a PGlite directory (`memory://` for tests). */
export type DatabaseTarget =
  /** `poolSize`: connections at most (default 10); a process with many workers needs more. */
  { url: string; poolSize?: number } | { dir: string };

/**
 * An open database: the Prisma client, and the `pg` pool it runs on (the migrator's schema engine
 * goes through `pg` too). PGlite and PostgreSQL are one code path: the embedded database runs in a
 * worker thread behind the PostgreSQL wire protocol (docs/adr/0015).
 */
export interface Database {
  readonly prisma: Db;
  readonly kind: 'postgres' | 'pglite';
  readonly target: DatabaseTarget;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * Prisma 7 caches a query plan per distinct query, and for raw queries the key and the plan hold
 * the parameter values: with its default of 1,000 entries, the ingestion API kept every recent
 * feed and catalog batch it wrote (hundreds of MB). Model queries, whose plans are worth caching,
 * take a few dozen shapes.
 */
const queryPlanCacheMaxSize = 32;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('url' in target) {
    // Prisma keeps timestamps as UTC in columns without a zone; database-side defaults must agree.
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      options: '-c timezone=UTC',
    });
    return withPrisma({ kind: 'postgres', target, pool, end: () => pool.end() });
  }
  if (!target.dir.includes('://')) mkdirSync(dirname(resolve(target.dir)), { recursive: true });
  const embedded = await openEmbedded(target.dir);
  // PGlite is one session (and in UTC): one connection, kept open, since every new one
  // starts from the session the last one left.
  const pool = new pg.Pool({ ...embedded.connection, max: 1, idleTimeoutMillis: 0 });
  return withPrisma({
    kind: 'pglite',
    target,
    pool,
    // Waiting for the one connection is waiting for another transaction to end, as a lock wait
    // on PostgreSQL is: Prisma's default of 2 s would refuse a write during a bulk import.
    transactionOptions: { maxWait: 60_000 },
    end: async () => {
      await pool.end();
      await embedded.close();
    },
  });
}

function withPrisma(options: {
  kind: Database['kind'];
  target: DatabaseTarget;
  pool: pg.Pool;
  transactionOptions?: { maxWait: number };
  end(): Promise<void>;
}): Database {
  const { pool } = options;
  // An idle connection the server ends (a restart, a terminated backend) is an 'error' event on
  // the pool, and an unheard 'error' event crashes the process. PrismaPg listens while it is
  // connected but removes its listener on $disconnect, before the pool has ended. The pool has
  // already dropped the client; the next query opens a new connection.
  pool.on('error', () => {});
  // Our own pool, so close() can end it (PrismaPg keeps its own pool open otherwise).
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    queryPlanCacheMaxSize,
    ...(options.transactionOptions ? { transactionOptions: options.transactionOptions } : {}),
  });
  return {
    prisma,
    kind: options.kind,
    target: options.target,
    pool,
    close: async () => {
      await prisma.$disconnect();
      await options.end();
    },
  };
}
