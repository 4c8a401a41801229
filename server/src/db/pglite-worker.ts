// The embedded database's own thread: it owns the PGlite instance and serves it on a socket, so a
// long statement blocks this thread and never the process's event loop (docs/adr/0015).
import { PGlite } from '@electric-sql/pglite';
import { parentPort, workerData } from 'node:worker_threads';
import { serveWire } from './pglite-wire.ts';

export type EmbeddedWorkerData = { dir: string; socketPath: string };
export type EmbeddedWorkerMessage = 'ready' | 'close';

const { dir, socketPath } = workerData as EmbeddedWorkerData;
const port = parentPort!;

const pglite = new PGlite(dir);
await pglite.waitReady;
const server = await serveWire({ pglite, path: socketPath });

port.on('message', (message: EmbeddedWorkerMessage) => {
  if (message !== 'close') return;
  void (async () => {
    await server.close();
    await pglite.close();
    // Nothing is left to keep the thread alive: it exits, and the directory is free to reopen.
    port.close();
  })();
});
port.postMessage('ready' satisfies EmbeddedWorkerMessage);
