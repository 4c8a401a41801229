import type { AddressInfo } from 'node:net';
import { createControlPlane } from '../src/app.ts';
import type { ControlPlane } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import type { Clock } from '../src/lib/clock.ts';
import { createLogger } from '../src/lib/logger.ts';
import { testDatabase } from './database.ts';
import { request } from './http.ts';
import type { RequestOptions } from './http.ts';

export const initialTokens = {
  admin: 'test-admin-token-000000000000',
  client: 'test-client-token-00000000000',
  ingest: 'test-ingest-token-00000000000',
  import: 'test-import-token-00000000000',
};

export type TestControlPlane = Awaited<ReturnType<typeof startControlPlane>>;

/** The real control plane on an ephemeral port, over a database of its own. */
export async function startControlPlane(
  options: { env?: Record<string, string>; database?: Database; clock?: Clock } = {},
) {
  const database = options.database ?? (await testDatabase());
  const config = loadConfig({
    PORT: '0',
    PINION_ADMIN_TOKEN: initialTokens.admin,
    PINION_CLIENT_TOKEN: initialTokens.client,
    PINION_INGEST_TOKEN: initialTokens.ingest,
    PINION_IMPORT_TOKEN: initialTokens.import,
    PINION_REVISION_POLL_MS: '100',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const plane: ControlPlane = await createControlPlane({
    config,
    database,
    logger: createLogger({ name: 'test', level: 'silent' }),
    clock: options.clock,
  });
  const server = plane.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api = <T = any>(method: string, path: string, opts: RequestOptions = {}) =>
    request<T>(url, method, path, { token: initialTokens.admin, ...opts });

  return {
    url,
    plane,
    database,
    db: database.prisma,
    api,
    /** Creates a token with the given role through the admin API and returns its secret. */
    async tokenFor(
      role: string,
      name = `${role}-${Math.random().toString(36).slice(2, 8)}`,
    ): Promise<string> {
      const res = await api('POST', '/api/v1/tokens', { body: { name, role } });
      if (res.status !== 201)
        throw new Error(`token creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.secret;
    },
    async createSites(
      sites: { key: string; name?: string; labels?: Record<string, string>; version?: string }[],
    ) {
      const res = await api('POST', '/api/v1/sites/import', {
        body: { sites: sites.map((s) => ({ name: s.key, ...s })) },
      });
      if (res.status !== 201)
        throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async setPin(key: string, version: string, reason = 'test') {
      const res = await api('PUT', `/api/v1/sites/${key}/pin`, { body: { version, reason } });
      if (res.status !== 200)
        throw new Error(`pin failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await plane.close();
      if (!options.database) await database.close();
    },
  };
}
