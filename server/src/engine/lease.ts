import pg from 'pg';

/** Whether this process may run the engine now. Exactly one process holds it at a time. */
export interface EngineLease {
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}

/** The embedded database belongs to one process: that process is always the engine. */
export const soleLease: EngineLease = { acquire: async () => true, release: async () => {} };

const lockKey = 0x70696e69; // "pini"

/**
 * A PostgreSQL session advisory lock on a connection of its own. If that connection drops, the
 * server releases the lock and another replica's next acquire() takes it.
 */
export function advisoryLease(url: string, onLost?: (err: Error) => void): EngineLease {
  let client: pg.Client | undefined;
  let held = false;
  const drop = (err: Error) => {
    held = false;
    client = undefined;
    onLost?.(err);
  };
  return {
    async acquire() {
      try {
        if (!client) {
          const next = new pg.Client({ connectionString: url });
          next.on('error', drop);
          await next.connect();
          client = next;
        }
        if (held) {
          await client.query('SELECT 1');
          return true;
        }
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS ok',
          [lockKey],
        );
        held = rows[0]?.ok === true;
        return held;
      } catch (err) {
        await client?.end().catch(() => {});
        drop(err as Error);
        return false;
      }
    },
    async release() {
      const c = client;
      client = undefined;
      held = false;
      await c?.end().catch(() => {});
    },
  };
}
