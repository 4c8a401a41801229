// Applies and diffs prisma/migrations with Prisma's schema engine compiled to WebAssembly, driven
// through the same driver adapters as the app. The native engine that `prisma migrate` needs
// cannot be downloaded on these machines (docs/adr/0003-migrations-with-the-wasm-schema-engine.md).
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import type * as EngineRuntime from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const schemaPath = join(root, 'prisma/schema.prisma');
export const migrationsDir = join(root, 'prisma/migrations');
const noFilter = { externalTables: [], externalEnums: [] };

// Node has WebAssembly; its types live in lib.dom, which a server should not load.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: unknown };
};

type EngineModule = typeof EngineRuntime;
let engineModule: Promise<EngineModule> | undefined;

function loadEngine(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const require = createRequire(import.meta.url);
    const wasmPath = join(
      dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    // The engine's timers would keep the process alive ~10 s after use: hand it unref'd ones.
    const imports: Record<string, unknown> = { ...runtime };
    for (const name of Object.keys(imports).filter((n) => n.startsWith('__wbg_setTimeout_'))) {
      imports[name] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(await readFile(wasmPath)), {
      './schema_engine_bg.js': imports,
    });
    const glue = runtime as unknown as { __wbg_set_wasm(exports: unknown): void };
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as unknown as { __wbindgen_start(): void }).__wbindgen_start();
    return runtime;
  })();
  return engineModule;
}

async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  use: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngine();
  const engine = await SchemaEngine.new(
    { datamodels: undefined },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await use(engine);
  } finally {
    engine.free();
  }
}

/** Runs `use` with an engine connected to the database, then closes what it opened. */
async function withEngineOn<T>(db: Database, use: (engine: SchemaEngine) => Promise<T>) {
  // One connection: the engine's advisory lock and its statements must share a session. The
  // embedded database's pool already is its one session.
  if (db.kind === 'pglite') return withEngine(wholeScripts(new PrismaPg(db.pool), db.pool), use);
  if (!('url' in db.target)) throw new Error('a PostgreSQL database needs a URL');
  const pool = new pg.Pool({ connectionString: db.target.url, max: 1 });
  try {
    return await withEngine(wholeScripts(new PrismaPg(pool), pool), use);
  } finally {
    await pool.end();
  }
}

/**
 * PrismaPg's executeScript splits a migration on every ';', which breaks dollar-quoted function
 * bodies. PostgreSQL runs a multi-statement script as one simple query, as the native engine
 * sends it; this adapter does that.
 */
function wholeScripts(factory: PrismaPg, pool: pg.Pool): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const onError = (adapter as unknown as { onError(err: unknown): never }).onError.bind(
        adapter,
      );
      adapter.executeScript = async (script: string) => {
        await pool.query(script).catch(onError);
      };
      return adapter;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}

export async function readMigrations(dir = migrationsDir): Promise<MigrationList> {
  const entries = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : [];
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: {
            tag: 'ok' as const,
            value: await readFile(join(dir, name, 'migration.sql'), 'utf8'),
          },
        },
      })),
    ),
  };
}

/** `prisma migrate deploy`: applies pending migrations, recorded in `_prisma_migrations`. */
export async function applyMigrations(db: Database): Promise<string[]> {
  const migrationsList = await readMigrations();
  const { appliedMigrationNames } = await withEngineOn(db, (engine) =>
    engine.applyMigrations({ migrationsList, filters: noFilter }),
  );
  return appliedMigrationNames;
}

/**
 * The SQL that would bring a database migrated with prisma/migrations to prisma/schema.prisma, or
 * undefined when they agree. The migrations are replayed into a throwaway in-memory PGlite, in
 * this thread and through PGlite's own adapter: describing a schema reads catalog columns of type
 * "char", which PrismaPg cannot carry (ADR 0015). A development tool, never on a request's path.
 */
export async function diffSchemaAgainstMigrations(): Promise<string | null | undefined> {
  const files = [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
  const migrationsList = await readMigrations();
  const shadow = new PGlite('memory://');
  try {
    return await withEngine(new PrismaPGlite(shadow), async (engine) => {
      if (migrationsList.migrationDirectories.length > 0) {
        await engine.applyMigrations({ migrationsList, filters: noFilter });
      }
      const diff = await engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: dirname(schemaPath) },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: true,
        filters: noFilter,
      });
      // With exitCode: 0 means no difference, 2 means a non-empty script.
      return diff.exitCode === 0 || !diff.stdout?.trim() ? undefined : diff.stdout;
    });
  } finally {
    await shadow.close();
  }
}
