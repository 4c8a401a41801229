// The PostgreSQL wire protocol in front of one PGlite instance, so that `pg` (and through it
// Prisma and the schema engine) talks to the embedded database exactly as to a PostgreSQL server
// (docs/adr/0015-the-read-path-never-waits-on-bulk-work.md).
import type { PGlite } from '@electric-sql/pglite';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';

// Request codes of the untyped messages a client may send before its StartupMessage.
const sslRequest = 80877103;
const gssEncRequest = 80877104;
const cancelRequest = 80877102;
const terminate = 0x58; // 'X'
const sync = Buffer.from([0x53, 0, 0, 0, 4]); // 'S', length 4

export type WireServer = { close(): Promise<void> };

/**
 * Serves `pglite` on a unix-domain socket. PGlite is a single session, so clients take turns:
 * one connection at a time, the others wait until it closes. What a connection leaves behind
 * (an open transaction, an extended-protocol exchange cut short by an error) is cleared before
 * the next one starts.
 */
export async function serveWire(options: { pglite: PGlite; path: string }): Promise<WireServer> {
  const { pglite } = options;
  const waiting: Socket[] = [];
  let current: { socket: Socket; done: Promise<void> } | undefined;

  const next = () => {
    const socket = current ? undefined : waiting.shift();
    if (!socket) return;
    const done = session(pglite, socket).finally(() => {
      current = undefined;
      next();
    });
    current = { socket, done };
  };
  const server = createServer((socket) => {
    waiting.push(socket);
    next();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.path, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of waiting.splice(0)) socket.destroy();
      current?.socket.destroy();
      await current?.done;
      await closed;
    },
  };
}

async function session(db: PGlite, socket: Socket): Promise<void> {
  let started = false;
  try {
    started = await converse(db, socket);
  } finally {
    socket.destroy();
    if (started) {
      // A Sync ends an extended-protocol exchange that an error left waiting for one.
      await db.execProtocolRaw(sync);
      if (db.isInTransaction()) await db.exec('ROLLBACK');
    }
  }
}

/** Relays one connection's messages to PGlite and its answers back. Returns whether it started. */
async function converse(db: PGlite, socket: Socket): Promise<boolean> {
  let pending: Buffer = Buffer.alloc(0);
  let started = false;
  const reply = (bytes: Uint8Array) => {
    if (bytes.length > 0 && socket.writable) socket.write(bytes);
  };
  try {
    for await (const chunk of socket as AsyncIterable<Buffer>) {
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      while (!started && pending.length >= 8) {
        const length = pending.readInt32BE(0);
        if (length < 8 || length > 10_000) return started;
        if (pending.length < length) break;
        const code = pending.readInt32BE(4);
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        // No TLS on a private socket: 'N' tells the client to go on in plain text.
        if (code === sslRequest || code === gssEncRequest) socket.write('N');
        else if (code === cancelRequest) return started;
        else {
          started = true;
          reply(await db.execProtocolRaw(message));
        }
      }
      if (!started) continue;
      // Every complete message in one call: PGlite answers a pipelined batch in order.
      let end = 0;
      let ended = false;
      while (pending.length - end >= 5) {
        if (pending[end] === terminate) {
          ended = true;
          break;
        }
        const length = 1 + pending.readInt32BE(end + 1);
        if (length < 5) return started;
        if (pending.length - end < length) break;
        end += length;
      }
      if (end > 0) reply(await db.execProtocolRaw(pending.subarray(0, end)));
      pending = pending.subarray(end);
      if (ended) return started;
    }
  } catch (err) {
    // The client went away (reset, broken pipe): its session ends like a closed one. Anything
    // else is PGlite failing, and must not pass for a disconnect.
    if (!(err as NodeJS.ErrnoException).code) throw err;
  }
  return started;
}
