import { hostname } from 'node:os';
import { z } from 'zod';

const blankIsUnset = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema);

const Env = z.object({
  INGEST_PORT: z.coerce.number().int().min(0).max(65535).default(4243),
  HOST: z.string().default('0.0.0.0'),
  CONTROL_PLANE_URL: z.url().default('http://localhost:4242'),
  PINION_INGEST_TOKEN: z
    .string()
    .min(16, 'PINION_INGEST_TOKEN (a token with role ingest) is required'),
  INGEST_DATABASE_URL: blankIsUnset(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .optional(),
  ),
  DATABASE_URL: blankIsUnset(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .optional(),
  ),
  INGEST_DATA_DIR: z.string().default('.data/ingest'),
  INGEST_REFRESH_MS: z.coerce.number().int().min(100).default(1000),
  INGEST_INSTANCE_ID: z.string().default(`${hostname()}-${process.pid}`),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Imports of different sites processed at the same time (one site's imports never overlap).
   * Default: 8 on PostgreSQL (4 kept ~92 of 100 imports/s on 2 cores, 8 all of them), 4 on
   * PGlite (one connection: more workers only queue for it).
   */
  INGEST_WORKERS: blankIsUnset(z.coerce.number().int().min(1).max(64).optional()),
  /** The largest feed accepted, in bytes; bigger bodies are refused (413) before journaling. */
  INGEST_MAX_FEED_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(50 * 1024 * 1024),
  INGEST_SNAPSHOTS_PER_SITE: z.coerce.number().int().min(1).default(10),
  INGEST_SNAPSHOT_DAYS: z.coerce.number().positive().default(30),
  INGEST_EXPORT_DIR: blankIsUnset(z.string().optional()),
  INGEST_EXPORT_WEBHOOK_URL: blankIsUnset(z.url().optional()),
  INGEST_REPAIR_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  INGEST_REPAIR_POLL_MS: z.coerce.number().int().min(50).default(2_000),
  /** How long the control plane's word on a token is used as is: a revocation is seen within it. */
  INGEST_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  /** How long a confirmed token keeps working while the control plane cannot be asked. */
  INGEST_AUTH_GRACE_SECONDS: z.coerce.number().min(0).max(86_400).default(300),
  INGEST_AUTH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** How often this instance tells the control plane how late its import reports are. */
  INGEST_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5_000),
});

export type IngestConfig = ReturnType<typeof loadIngestConfig>;

export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  ${i.path.join('.')}: ${i.message}`)
      .join('\n');
    throw new Error(`invalid ingestion API configuration:\n${problems}`);
  }
  const e = parsed.data;
  const url = e.INGEST_DATABASE_URL ?? e.DATABASE_URL;
  const workers = e.INGEST_WORKERS ?? (url ? 8 : 4);
  return {
    port: e.INGEST_PORT,
    host: e.HOST,
    controlPlaneUrl: e.CONTROL_PLANE_URL,
    token: e.PINION_INGEST_TOKEN,
    // PGlite is single-process: the embedded ingestion database is a directory of its own.
    // Every worker and repair holds a connection for its transaction; accepting a feed, the
    // outboxes and the heartbeat must still find one at once.
    database: url
      ? { url, poolSize: workers + e.INGEST_REPAIR_CONCURRENCY + 4 }
      : { dir: `${e.INGEST_DATA_DIR}/db` },
    backupDir: `${e.INGEST_DATA_DIR}/pins`,
    refreshMs: e.INGEST_REFRESH_MS,
    instanceId: e.INGEST_INSTANCE_ID,
    logLevel: e.LOG_LEVEL,
    workers,
    maxFeedBytes: e.INGEST_MAX_FEED_BYTES,
    snapshots: { perSite: e.INGEST_SNAPSHOTS_PER_SITE, maxAgeDays: e.INGEST_SNAPSHOT_DAYS },
    exports: {
      dir: e.INGEST_EXPORT_DIR ?? `${e.INGEST_DATA_DIR}/exports`,
      webhookUrl: e.INGEST_EXPORT_WEBHOOK_URL,
    },
    repair: { concurrency: e.INGEST_REPAIR_CONCURRENCY, pollMs: e.INGEST_REPAIR_POLL_MS },
    auth: {
      savedFile: `${e.INGEST_DATA_DIR}/auth/confirmed-tokens.json`,
      freshMs: e.INGEST_AUTH_CACHE_MS,
      graceMs: e.INGEST_AUTH_GRACE_SECONDS * 1_000,
      timeoutMs: e.INGEST_AUTH_TIMEOUT_MS,
    },
    heartbeatMs: e.INGEST_HEARTBEAT_MS,
  };
}
