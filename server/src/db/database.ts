import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaClient } from './generated/client.ts';

export type Db = PrismaClient;

/** Where the data lives: a PostgreSQL URL, or a PGlite directory (`memory://` for tests). */
export type DatabaseTarget = { url: string } | { dir: string };

/**
 * An open database: the Prisma client plus what the migrator needs to reach the same database
 * through the schema engine.
 */
export interface Database {
  readonly prisma: Db;
  readonly kind: 'postgres' | 'pglite';
  readonly target: DatabaseTarget;
  /** Embedded only: the PGlite instance (the schema engine must share it; it is single-process). */
  readonly pglite?: PGlite;
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
    // Our own pool, so close() can end it (PrismaPg keeps its own pool open otherwise).
    // Prisma keeps timestamps as UTC in columns without a zone; database-side defaults must agree.
    const pool = new pg.Pool({ connectionString: target.url, max: 10, options: '-c timezone=UTC' });
    // An idle connection the server ends (a restart, a terminated backend) is an 'error' event on
    // the pool, and an unheard 'error' event crashes the process. PrismaPg listens while it is
    // connected but removes its listener on $disconnect, before the pool has ended. The pool has
    // already dropped the client; the next query opens a new connection.
    pool.on('error', () => {});
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool), queryPlanCacheMaxSize });
    return {
      prisma,
      kind: 'postgres',
      target,
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  if (!target.dir.includes('://')) mkdirSync(dirname(resolve(target.dir)), { recursive: true });
  const pglite = new PGlite(target.dir);
  await pglite.waitReady;
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), queryPlanCacheMaxSize });
  return {
    prisma,
    kind: 'pglite',
    target,
    pglite,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
