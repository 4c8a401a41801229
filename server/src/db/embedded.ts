import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedWorkerData, EmbeddedWorkerMessage } from './pglite-worker.ts';

/** Where `pg` finds the embedded database. */
export type EmbeddedConnection = { host: string; port: number; user: string; database: string };

/**
 * Opens a PGlite directory in a worker thread of its own, served on a unix-domain socket in a
 * private directory (mode 0700). A failure to open rejects with the worker's error; a worker that
 * dies later takes the process with it, since nothing can run without its database.
 */
export async function openEmbedded(
  dir: string,
): Promise<{ connection: EmbeddedConnection; close(): Promise<void> }> {
  const socketDir = mkdtempSync(join(socketRoot(), `${process.pid}-`));
  // `pg` connects to `<host>/.s.PGSQL.<port>` when host is a directory, as libpq does.
  const port = 5432;
  const workerData: EmbeddedWorkerData = { dir, socketPath: join(socketDir, `.s.PGSQL.${port}`) };
  const worker = new Worker(new URL('./pglite-worker.ts', import.meta.url), { workerData });
  let closing = false;
  try {
    await Promise.race([
      once(worker, 'message'),
      once(worker, 'exit').then(([code]) => {
        throw new Error(`its worker exited (code ${code})`);
      }),
    ]);
  } catch (err) {
    rmSync(socketDir, { recursive: true, force: true });
    throw new Error(`could not open the embedded database in ${dir}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  worker.once('exit', (code) => {
    if (!closing) throw new Error(`the embedded database's worker exited (code ${code})`);
  });
  return {
    connection: { host: socketDir, port, user: 'postgres', database: 'postgres' },
    async close() {
      closing = true;
      const exited = once(worker, 'exit');
      worker.postMessage('close' satisfies EmbeddedWorkerMessage);
      await exited;
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/**
 * Where the sockets' directories go: one directory per user, so that those a killed process left
 * behind (`<pid>-*`) are removed by the next process that opens a database.
 */
function socketRoot(): string {
  const root = join(tmpdir(), `pinion-pglite-${process.getuid?.() ?? 0}`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  if (statSync(root).uid !== (process.getuid?.() ?? 0)) return tmpdir();
  for (const entry of readdirSync(root)) {
    const pid = Number(entry.split('-')[0]);
    if (pid > 0 && !alive(pid)) rmSync(join(root, entry), { recursive: true, force: true });
  }
  return root;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
