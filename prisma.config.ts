import { defineConfig } from 'prisma/config';

// Read process.env directly: prisma/config's env() throws when DATABASE_URL is unset, and the
// embedded PGlite default needs no URL at all.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
});
