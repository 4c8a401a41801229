import { z } from 'zod';

const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const secret = (name: string) =>
  optional(
    z
      .string()
      .min(16, `${name} must be at least 16 characters`)
      .regex(/^\S+$/, `${name} must not contain spaces`),
  );

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4242),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// URL'),
  ),
  PINION_DATA_DIR: z.string().default('.data/control'),
  PINION_VERSIONS: z.string().default('v1,v2,v3'),
  PINION_DEFAULT_VERSION: z.string().default('v1'),
  PINION_ADMIN_TOKEN: secret('PINION_ADMIN_TOKEN'),
  PINION_CLIENT_TOKEN: secret('PINION_CLIENT_TOKEN'),
  PINION_INGEST_TOKEN: secret('PINION_INGEST_TOKEN'),
  PINION_IMPORT_TOKEN: secret('PINION_IMPORT_TOKEN'),
  PINION_WEB_DIR: optional(z.string()),
  PINION_REVISION_POLL_MS: z.coerce.number().int().min(50).default(1000),
  PINION_APPROVAL_THRESHOLD: z.coerce.number().int().min(0).default(100),
  PINION_ENGINE_TICK_MS: z.coerce.number().int().min(50).default(1000),
  PINION_ENGINE: z.enum(['on', 'off']).default('on'),
  PINION_WEBHOOK_URL: optional(z.url({ protocol: /^https?$/ })),
  PINION_MAX_REPORT_LAG_SECONDS: z.coerce.number().int().min(1).default(60),
  PINION_SENSOR_GONE_SECONDS: z.coerce.number().int().min(1).default(600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = ReturnType<typeof loadConfig>;

/** Reads and checks the environment once at start; a bad value stops the process with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  ${i.path.join('.')}: ${i.message}`)
      .join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  const versions = e.PINION_VERSIONS.split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL ? { url: e.DATABASE_URL } : { dir: e.PINION_DATA_DIR },
    versions,
    defaultVersion: e.PINION_DEFAULT_VERSION,
    initialTokens: {
      admin: e.PINION_ADMIN_TOKEN,
      client: e.PINION_CLIENT_TOKEN,
      ingest: e.PINION_INGEST_TOKEN,
      import: e.PINION_IMPORT_TOKEN,
    },
    webDir: e.PINION_WEB_DIR,
    revisionPollMs: e.PINION_REVISION_POLL_MS,
    /** Plans that change more sites than this need a second release engineer's approval. */
    approvalThreshold: e.PINION_APPROVAL_THRESHOLD,
    engine: { enabled: e.PINION_ENGINE === 'on', tickMs: e.PINION_ENGINE_TICK_MS },
    /** Where halts, reverts and completions are announced (Slack-compatible); never logged. */
    webhookUrl: e.PINION_WEBHOOK_URL,
    /** When an ingestion instance's reports count as late, and when a silent one is gone (ADR 14). */
    sensors: {
      maxLagSeconds: e.PINION_MAX_REPORT_LAG_SECONDS,
      goneSeconds: Math.max(e.PINION_SENSOR_GONE_SECONDS, e.PINION_MAX_REPORT_LAG_SECONDS),
    },
    logLevel: e.LOG_LEVEL,
  };
}
