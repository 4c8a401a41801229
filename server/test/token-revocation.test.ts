// Two control-plane processes on one PostgreSQL database: a token revoked on one replica is
// refused by the other within a second, also after the other lost its LISTEN connection.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, request } from './http.ts';
import { controlPlaneSpec, processHome, startService } from './processes.ts';
import type { Service } from './processes.ts';

const admin = 'revoke-admin-token-000000000';
const onPostgres = Boolean(process.env.DATABASE_URL);

let home: Awaited<ReturnType<typeof processHome>>;
let a: Service;
let b: Service;

beforeAll(async () => {
  if (!onPostgres) return;
  home = await processHome('pinion-revoke-');
  const spec = (replica: string) =>
    controlPlaneSpec({
      dir: `${home.dir}/${replica}`,
      databaseUrl: home.databaseUrl,
      tokens: { admin },
      env: { PINION_ENGINE: 'off' },
    });
  // One after the other: the first applies the migrations.
  a = await startService(await spec('a'));
  b = await startService(await spec('b'));
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await home?.remove();
});

/** Makes a token on A, checks B accepts it (now cached there), revokes it on A. */
async function revokeOnA(name: string) {
  const created = await request(a.url, 'POST', '/api/v1/tokens', {
    token: admin,
    body: { name, role: 'admin' },
  });
  expect(created.status).toBe(201);
  const secret: string = created.body.secret;
  expect((await request(b.url, 'GET', '/api/v1/me', { token: secret })).status).toBe(200);
  const revoked = await request(a.url, 'DELETE', `/api/v1/tokens/${created.body.token.id}`, {
    token: admin,
  });
  expect(revoked.status).toBe(204);
  return { secret, revokedAt: performance.now() };
}

/** Polls B until it refuses the token; the deadline is the promise (1 s). */
async function refusedOnB(secret: string, revokedAt: number) {
  await eventually(
    async () =>
      (await request(b.url, 'GET', '/api/v1/me', { token: secret })).status === 401
        ? true
        : undefined,
    1_000,
    10,
  );
  return Math.round(performance.now() - revokedAt);
}

// Skipped on PGlite: an embedded database opens in one process only, so there is one replica.
describe.skipIf(!onPostgres)('token revocation across replicas (PostgreSQL only)', () => {
  it('is refused by the other replica within 1 s, and cannot make tokens there', async () => {
    const { secret, revokedAt } = await revokeOnA('replica-revoke');
    const delay = await refusedOnB(secret, revokedAt);
    console.log(`revoked on replica A, refused by replica B after ${delay} ms`);
    const attempt = await request(b.url, 'POST', '/api/v1/tokens', {
      token: secret,
      body: { name: 'sneaky', role: 'admin' },
    });
    expect(attempt.status).toBe(401);
  });

  it('is refused within 1 s after the replica lost its LISTEN connection', async () => {
    const server = new pg.Client({ connectionString: home.databaseUrl });
    await server.connect();
    try {
      const killed = await server.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'pinion-token-listener' AND datname = current_database()`,
      );
      expect(killed.rowCount).toBe(2);
    } finally {
      await server.end();
    }
    const { secret, revokedAt } = await revokeOnA('revoke-while-deaf');
    const delay = await refusedOnB(secret, revokedAt);
    console.log(`listener connections killed: replica B refused the token after ${delay} ms`);
  });
});
