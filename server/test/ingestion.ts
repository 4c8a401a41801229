import type { AddressInfo } from 'node:net';
import { createLogger } from '../src/lib/logger.ts';
import { createIngestion } from '../src/ingest/ingest-service.ts';
import type { PipelineLookup } from '../src/ingest/pipelines/index.ts';
import { initialTokens } from './control-plane.ts';
import { testDatabase } from './database.ts';
import { request } from './http.ts';
import type { RequestOptions } from './http.ts';
import { tempDir } from './processes.ts';

/** The ingestion API in this process, on an ephemeral port, reading pins from `controlPlaneUrl`. */
export async function startIngestion(options: {
  controlPlaneUrl: string;
  /** Which pipeline runs a version (default: the real ones). */
  pipelines?: PipelineLookup;
}) {
  const database = await testDatabase();
  const dir = await tempDir('pinion-ingest-test-');
  const ingestion = await createIngestion({
    config: {
      port: 0,
      host: '127.0.0.1',
      controlPlaneUrl: options.controlPlaneUrl,
      token: initialTokens.ingest,
      database: { dir: 'memory://' },
      backupDir: dir.path,
      refreshMs: 100,
      instanceId: 'ingest-in-process',
      logLevel: 'silent',
    },
    database,
    logger: createLogger({ name: 'ingest-test', level: 'silent' }),
    pipelines: options.pipelines,
  });
  const server = ingestion.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ingestion,
    db: database.prisma,
    call: <T = any>(method: string, path: string, opts: RequestOptions = {}) =>
      request<T>(url, method, path, opts),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await ingestion.close();
      await database.close();
      await dir.remove();
    },
  };
}
