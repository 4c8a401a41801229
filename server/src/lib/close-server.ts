import { once } from 'node:events';
import type { Server } from 'node:http';

/**
 * Stops taking connections and waits for the requests under way. A keep-alive connection that a
 * client reuses every second (an SDK polling for pins) is never idle for long, so one sweep of
 * idle connections is not enough: from now on each response closes its connection, and idle ones
 * are swept until none is left. After `graceMs`, whatever remains is cut.
 */
export async function closeServer(server: Server, graceMs = 10_000): Promise<void> {
  server.on('request', (_req, res) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  });
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const forced = setTimeout(() => server.closeAllConnections(), graceMs);
  server.close();
  server.closeIdleConnections();
  await once(server, 'close').catch(() => {});
  clearInterval(sweep);
  clearTimeout(forced);
}
