import type { AddressInfo } from 'node:net';
import type { Database } from '../src/db/database.ts';
import type { Clock } from '../src/lib/clock.ts';
import { createLogger } from '../src/lib/logger.ts';
import { loadIngestConfig } from '../src/ingest/config.ts';
import { createIngestion } from '../src/ingest/ingest-service.ts';
import type { PipelineLookup } from '../src/ingest/pipelines/index.ts';
import { initialTokens } from './control-plane.ts';
import { testDatabase } from './database.ts';
import { eventually, request } from './http.ts';
import type { RequestOptions } from './http.ts';
import { tempDir } from './processes.ts';

export type TestIngestion = Awaited<ReturnType<typeof startIngestion>>;

/** The ingestion API in this process, on an ephemeral port, reading pins from `controlPlaneUrl`. */
export async function startIngestion(options: {
  controlPlaneUrl: string;
  /** Which pipeline runs a version (default: the real ones). */
  pipelines?: PipelineLookup;
  /** Settings as environment variables (INGEST_WORKERS, INGEST_EXPORT_WEBHOOK_URL, …). */
  env?: Record<string, string>;
  clock?: Clock;
  /** False: the workers stay stopped until `ingestion.workers.start()`. */
  startWorkers?: boolean;
  /** An open database to use (and leave open), e.g. to restart on the same data. */
  database?: Database;
}) {
  const database = options.database ?? (await testDatabase());
  const dir = await tempDir('pinion-ingest-test-');
  const config = loadIngestConfig({
    CONTROL_PLANE_URL: options.controlPlaneUrl,
    PINION_INGEST_TOKEN: initialTokens.ingest,
    INGEST_DATA_DIR: dir.path,
    INGEST_REFRESH_MS: '100',
    INGEST_INSTANCE_ID: 'ingest-in-process',
    INGEST_REPAIR_POLL_MS: '200',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const ingestion = await createIngestion({
    config: { ...config, port: 0, host: '127.0.0.1' },
    database,
    logger: createLogger({ name: 'ingest-test', level: config.logLevel }),
    pipelines: options.pipelines,
    clock: options.clock,
    startWorkers: options.startWorkers,
  });
  const server = ingestion.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** Sends the import token to post feeds and an admin token to read, unless told otherwise. */
  const call = <T = any>(method: string, path: string, opts: RequestOptions = {}) =>
    request<T>(url, method, path, { token: defaultTokenFor(method, path), ...opts });
  return {
    url,
    config,
    ingestion,
    database,
    db: database.prisma,
    dataDir: dir.path,
    call,
    /** Posts a feed (JSON unless `raw` is given) and returns the reply (202 when journaled). */
    post: (siteKey: string, body: unknown, opts: RequestOptions = {}) =>
      call('POST', `/ingest/v1/sites/${siteKey}/imports`, { body, ...opts }),
    /** Waits until the import is processed (done or failed) and returns what GET shows. */
    processed: (importId: string, timeoutMs?: number) => untilProcessed(url, importId, timeoutMs),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await ingestion.close();
      if (!options.database) await database.close();
      await dir.remove();
    },
  };
}

/** An import job posts with its import token; people read with a staff token. */
export function defaultTokenFor(method: string, path: string): string {
  return method.toUpperCase() === 'POST' && /\/imports\/?$/.test(path)
    ? initialTokens.import
    : initialTokens.admin;
}

/** Polls `GET /ingest/v1/imports/:id` (as an import job would) until it is done or failed. */
export async function untilProcessed(
  baseUrl: string,
  importId: string,
  timeoutMs = 15_000,
  token = initialTokens.import,
) {
  return eventually(
    async () => {
      const { body } = await request(baseUrl, 'GET', `/ingest/v1/imports/${importId}`, { token });
      return body.state === 'done' || body.state === 'failed' ? body : undefined;
    },
    timeoutMs,
    20,
  );
}
