import pg from 'pg';
import { revokedChannel } from './token-store.ts';

/** How a replica learns that a token was revoked on another one (docs/adr/0013). */
export interface TokenInvalidation {
  /** True while every revocation, on any replica, is sure to reach this one at once. */
  readonly reliable: boolean;
  /** `onInvalidate` runs on every revocation, and whenever some may have been missed. */
  start(onInvalidate: () => void): void;
  stop(): Promise<void>;
}

/** The embedded database belongs to one process: the revoking replica is the only one. */
export const localInvalidation: TokenInvalidation = {
  reliable: true,
  start() {},
  stop: async () => {},
};

/**
 * LISTEN on a connection of its own. While it is down (or a heartbeat goes unanswered) the
 * listener is not reliable and reconnects every `retryMs`; on each (re)connection the cache is
 * dropped, since notifications sent meanwhile are lost.
 */
export function listenForRevocations(options: {
  url: string;
  onLost?: (err: Error) => void;
  retryMs?: number;
  heartbeatMs?: number;
}): TokenInvalidation {
  const retryMs = options.retryMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  let client: pg.Client | undefined;
  let reliable = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let invalidate = () => {};

  function lost(c: pg.Client, err: Error) {
    if (client !== c) return;
    client = undefined;
    reliable = false;
    clearInterval(heartbeat);
    invalidate();
    void c.end().catch(() => {});
    if (stopped) return;
    options.onLost?.(err);
    retry = setTimeout(() => void connect(), retryMs);
    retry.unref();
  }

  // A half-open connection never errors: a query that goes unanswered counts as a lost one.
  function ping(c: pg.Client) {
    const timer = setTimeout(() => lost(c, new Error('heartbeat unanswered')), heartbeatMs);
    timer.unref();
    c.query('SELECT 1').then(
      () => clearTimeout(timer),
      (err: Error) => {
        clearTimeout(timer);
        lost(c, err);
      },
    );
  }

  async function connect() {
    const c = new pg.Client({
      connectionString: options.url,
      application_name: 'pinion-token-listener',
      keepAlive: true,
    });
    client = c;
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('connection ended')));
    c.on('notification', (msg) => {
      if (msg.channel === revokedChannel) invalidate();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${revokedChannel}`);
    } catch (err) {
      lost(c, err as Error);
      return;
    }
    if (client !== c) return;
    invalidate();
    reliable = true;
    heartbeat = setInterval(() => ping(c), heartbeatMs);
    heartbeat.unref();
  }

  return {
    get reliable() {
      return reliable;
    },
    start(onInvalidate) {
      invalidate = onInvalidate;
      void connect();
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      const c = client;
      client = undefined;
      reliable = false;
      await c?.end().catch(() => {});
    },
  };
}
