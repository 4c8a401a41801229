// The reporter against a control plane that refuses whole batches (as the previous version did
// when one report in it was malformed): the refused report is isolated and settled, every other
// report arrives exactly once, and a control plane that is merely away keeps every report pending.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/database.ts';
import type { Database, Db } from '../db/database.ts';
import { applyMigrations } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { controlPlaneApi } from './control-plane/control-plane-api.ts';
import { importReporter } from './reporter.ts';

let database: Database;
let db: Db;
let server: Server;
let url: string;
/** How the fake control plane answers a batch, and every batch it was sent. */
let answer: (ids: string[]) => { status: number; body: object };
const batches: string[][] = [];

beforeAll(async () => {
  database = await testDatabase();
  await applyMigrations(database);
  db = database.prisma;
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk));
    req.on('end', () => {
      const ids = (JSON.parse(raw) as { reports: { importId: string }[] }).reports.map(
        (r) => r.importId,
      );
      batches.push(ids);
      const { status, body } = answer(ids);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await database.close();
});
beforeEach(async () => {
  batches.length = 0;
  await db.ingestImport.deleteMany();
});

/** `n` processed, unreported imports; returns their ids in journal order. */
async function processed(n: number, version: string | null = 'v1'): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  const now = new Date();
  for (const id of ids) {
    await db.ingestImport.create({
      data: {
        id,
        siteKey: 'rp-1',
        payload: '[]',
        state: version ? 'done' : 'failed',
        version,
        received: 3,
        imported: 3,
        rejected: 0,
        durationMs: 4,
        processedAt: now,
        receivedAt: now,
      },
    });
  }
  return ids;
}

const unreported = async () =>
  (await db.ingestImport.findMany({ where: { reportedAt: null }, select: { id: true } })).map(
    (r) => r.id,
  );

async function drainOnce() {
  const reporter = importReporter({
    db,
    api: controlPlaneApi({ url, token: 'reporter-test-token-000' }),
    clock: systemClock,
    logger: createLogger({ name: 'reporter-test', level: 'silent' }),
  });
  reporter.start();
  await reporter.kick();
  await reporter.stop();
}

describe('the import reporter', () => {
  it('isolates a report refused with its whole batch, and delivers every other one exactly once', async () => {
    const ids = await processed(40);
    const poison = ids[17]!;
    answer = (batch) =>
      batch.includes(poison)
        ? { status: 400, body: { code: 'validation_failed', message: 'body.reports.0.received' } }
        : { status: 200, body: { accepted: batch.length, refused: [] } };

    await drainOnce();

    const accepted = batches.filter((b) => !b.includes(poison)).flat();
    expect(accepted.sort()).toEqual(ids.filter((id) => id !== poison).sort());
    // Refused alone it is final: marked, never sent again; halving costs ~2·log2(n) requests.
    expect(batches.filter((b) => b.length === 1 && b[0] === poison)).toHaveLength(1);
    expect(batches.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(ids.length)));
    expect(await unreported()).toEqual([]);
  });

  it('settles a report refused within an accepted batch, and keeps the rest acknowledged', async () => {
    const ids = await processed(5);
    answer = (batch) => ({
      status: 200,
      body: {
        accepted: batch.length - 1,
        refused: [
          { importId: ids[2], kind: 'unknown_site', message: "site 'rp-1' does not exist" },
        ],
      },
    });
    await drainOnce();
    expect(batches).toEqual([ids]);
    expect(await unreported()).toEqual([]);
  });

  it('settles a report without a version, which the control plane cannot take, without sending it', async () => {
    // An entry given up before any version processed its site.
    const [versionless] = await processed(1, null);
    const ids = await processed(3);
    answer = (batch) => ({ status: 200, body: { accepted: batch.length, refused: [] } });
    await drainOnce();
    expect(batches).toEqual([ids]);
    expect(await unreported()).toEqual([]);
    expect(batches.flat()).not.toContain(versionless);
  });

  it('keeps every report when the control plane is away or does not accept this token', async () => {
    const ids = await processed(6);
    for (const status of [503, 500, 401, 429]) {
      answer = () => ({ status, body: { code: 'x', message: 'not now' } });
      await drainOnce();
      expect((await unreported()).sort(), String(status)).toEqual([...ids].sort());
    }
    // One request per try: an outage is not split into single reports.
    expect(batches.map((b) => b.length)).toEqual([6, 6, 6, 6]);
  });
});
