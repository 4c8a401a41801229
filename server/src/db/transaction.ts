import type { Prisma } from './generated/client.ts';
import type { Db } from './database.ts';

/** A Prisma client or an open transaction: stores accept either. */
export type Tx = Prisma.TransactionClient | Db;
