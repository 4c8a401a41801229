import { describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/database.ts';
import { applyMigrations, diffSchemaAgainstMigrations, readMigrations } from './migrate.ts';

describe('migrations', () => {
  it('agree with prisma/schema.prisma (run `npm run db:migration -- <name>` when this fails)', async () => {
    const drift = await diffSchemaAgainstMigrations();
    expect(drift, `schema.prisma has changes no migration contains:\n${drift}`).toBeUndefined();
  });

  it('apply every migration once to a new database, and nothing the second time', async () => {
    const database = await testDatabase();
    try {
      const all = (await readMigrations()).migrationDirectories.map((m) => m.path);
      expect(await applyMigrations(database)).toEqual(all);
      expect(await applyMigrations(database)).toEqual([]);
      const recorded = await database.prisma.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
      expect(recorded.map((r) => r.migration_name)).toEqual(all);
    } finally {
      await database.close();
    }
  });
});
