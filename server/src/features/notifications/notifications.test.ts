import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/database.ts';
import type { Database, Db } from '../../db/database.ts';
import { applyMigrations } from '../../db/migrate.ts';
import { backoffMs } from '../../lib/backoff.ts';
import { manualClock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/logger.ts';
import { enqueueNotification, listNotifications } from './notification-store.ts';
import type { NotificationInput } from './notification-store.ts';
import { WebhookSender, webhookRetries } from './webhook-sender.ts';

let database: Database;
let db: Db;
beforeAll(async () => {
  database = await testDatabase();
  await applyMigrations(database);
  db = database.prisma;
});
afterAll(() => database.close());

const logger = createLogger({ name: 'test', level: 'silent' });
let clock: ReturnType<typeof manualClock>;
const cleanup: (() => Promise<void>)[] = [];
beforeEach(async () => {
  clock = manualClock();
  await db.notification.deleteMany();
});
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

type Received = { body: any; headers: IncomingHttpHeaders };

/** A webhook receiver on a real port; `answer` picks the status of each request (1-based). */
async function startReceiver(
  answer: (n: number, body: any) => number | 'hang' = () => 200,
  port = 0,
) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw);
      received.push({ body, headers: req.headers });
      const status = answer(received.length, body);
      if (status === 'hang') return;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'boom');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanup.push(async () => void (server.listening && (await close())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/pinion`;
  return { url, received, close, port: (server.address() as AddressInfo).port };
}

function sender(url: string | undefined, options: { timeoutMs?: number } = {}) {
  const s = new WebhookSender({ db, url, clock, logger, ...options });
  s.start(); // on kicks only: the test says when to send
  cleanup.push(() => s.stop());
  return s;
}

const halted: NotificationInput = {
  event: 'rollout.halted',
  text: ':rotating_light: Rollout r-12 to v2 halted in stage 1: site s-17: imported 612 products on v2, baseline 1,004 on v1 (−39%), threshold −5%. Reverted 2 sites automatically.',
  rollout: { id: 12, targetVersion: 'v2', state: 'halted', stage: 1 },
  details: { findings: ['site s-17: imported 612 products on v2, baseline 1,004 on v1 (−39%)'] },
};
const completed: NotificationInput = {
  event: 'rollout.completed',
  text: ':white_check_mark: Rollout r-13 to v3 completed: 200 sites on v3.',
  rollout: { id: 13, targetVersion: 'v3', state: 'completed' },
};

const onlyRow = async () => (await db.notification.findMany())[0]!;

describe('webhook notifications', () => {
  it('delivers an announcement once, as a Slack-compatible JSON body', async () => {
    const receiver = await startReceiver();
    const webhook = sender(receiver.url);
    await db.$transaction((tx) => enqueueNotification(tx, halted));
    await webhook.kick();
    await webhook.kick();

    expect(receiver.received).toHaveLength(1);
    const [{ body, headers }] = receiver.received as [Received];
    expect(headers['content-type']).toBe('application/json');
    expect(body).toEqual({
      text: halted.text,
      event: 'rollout.halted',
      rollout: { ref: 'r-12', id: 12, targetVersion: 'v2', state: 'halted', stage: 1 },
      details: halted.details,
    });
    expect(headers['x-pinion-notification-id']).toBe(String((await onlyRow()).id));
    expect(await onlyRow()).toMatchObject({
      attempts: 1,
      deliveredAt: clock.now(),
      lastError: null,
    });
  });

  it('retries a failing receiver with exponential backoff until it answers 2xx', async () => {
    const receiver = await startReceiver((n) => (n <= 2 ? 500 : 200));
    const webhook = sender(receiver.url);
    await enqueueNotification(db, halted);

    await webhook.kick();
    expect(receiver.received).toHaveLength(1);
    expect(await onlyRow()).toMatchObject({
      attempts: 1,
      deliveredAt: null,
      lastError: 'HTTP 500: boom',
    });

    clock.advance(backoffMs(1, webhookRetries) - 1); // 1 s after the first failure, not yet
    await webhook.kick();
    expect(receiver.received).toHaveLength(1);
    clock.advance(1);
    await webhook.kick();
    expect(receiver.received).toHaveLength(2);
    expect(await onlyRow()).toMatchObject({ attempts: 2, deliveredAt: null });

    clock.advance(backoffMs(2, webhookRetries) - 1); // then 2 s
    await webhook.kick();
    expect(receiver.received).toHaveLength(2);
    clock.advance(1);
    await webhook.kick();
    expect(receiver.received).toHaveLength(3);
    expect(await onlyRow()).toMatchObject({ attempts: 3, deliveredAt: clock.now() });
    expect(receiver.received.every((r) => r.body.text === halted.text)).toBe(true);
  });

  it('grows the wait exponentially up to 10 minutes', () => {
    expect([1, 2, 3, 4, 10, 11, 30].map((n) => backoffMs(n, webhookRetries))).toEqual([
      1_000, 2_000, 4_000, 8_000, 512_000, 600_000, 600_000,
    ]);
  });

  it('keeps the announcement while the receiver is down and delivers it once it is up', async () => {
    const gone = await startReceiver();
    await gone.close();
    const webhook = sender(gone.url);
    await enqueueNotification(db, halted);

    await webhook.kick();
    const failed = await onlyRow();
    expect(failed).toMatchObject({ attempts: 1, deliveredAt: null });
    expect(failed.lastError).toContain('ECONNREFUSED');
    expect(failed.nextAttemptAt).toEqual(new Date(clock.now().getTime() + 1_000));

    const back = await startReceiver(() => 200, gone.port);
    clock.advance(1_000);
    await webhook.kick();
    expect(back.received.map((r) => r.body.event)).toEqual(['rollout.halted']);
    expect(await onlyRow()).toMatchObject({ attempts: 2, deliveredAt: clock.now() });
  });

  it('does not let one failing announcement hold back the ones after it', async () => {
    const receiver = await startReceiver((_n, body) =>
      body.event === 'rollout.halted' ? 400 : 200,
    );
    const webhook = sender(receiver.url);
    await enqueueNotification(db, halted);
    await enqueueNotification(db, completed);

    await webhook.kick();
    expect(receiver.received.map((r) => r.body.event)).toEqual([
      'rollout.halted',
      'rollout.completed',
    ]);
    const states = await listNotifications(db, { limit: 10 });
    expect(states.map((n) => [n.event, n.state, n.attempts])).toEqual([
      ['rollout.completed', 'delivered', 1],
      ['rollout.halted', 'retrying', 1],
    ]);
    expect(states[1]!.lastError).toBe('HTTP 400: boom');
  });

  it('gives up an attempt after the timeout and retries it later', async () => {
    const receiver = await startReceiver((n) => (n === 1 ? 'hang' : 200));
    const webhook = sender(receiver.url, { timeoutMs: 200 });
    await enqueueNotification(db, completed);

    await webhook.kick();
    expect(await onlyRow()).toMatchObject({
      deliveredAt: null,
      lastError: 'no answer within 200 ms',
    });
    clock.advance(1_000);
    await webhook.kick();
    expect(receiver.received).toHaveLength(2);
    expect((await onlyRow()).deliveredAt).toEqual(clock.now());
  });

  it('sends nothing for an announcement whose transaction rolled back', async () => {
    const receiver = await startReceiver();
    const webhook = sender(receiver.url);
    await expect(
      db.$transaction(async (tx) => {
        await enqueueNotification(tx, halted);
        throw new Error('the halt failed');
      }),
    ).rejects.toThrow('the halt failed');

    await webhook.kick();
    expect(receiver.received).toHaveLength(0);
    expect(await db.notification.count()).toBe(0);
  });

  it('sends each announcement once when two control planes share the database', async () => {
    const receiver = await startReceiver();
    const [a, b] = [sender(receiver.url), sender(receiver.url)];
    for (let i = 0; i < 5; i++) await enqueueNotification(db, { ...completed, text: `done ${i}` });

    await Promise.all([a.kick(), b.kick()]);
    expect(receiver.received.map((r) => r.body.text).sort()).toEqual([
      'done 0',
      'done 1',
      'done 2',
      'done 3',
      'done 4',
    ]);
  });

  it('without a URL keeps announcements pending and visible', async () => {
    const webhook = sender(undefined);
    expect(webhook.configured).toBe(false);
    await enqueueNotification(db, { ...completed, text: 'R&D rollout <r-13> completed' });
    await webhook.kick();

    const [n] = await listNotifications(db, { limit: 10 });
    expect(n).toMatchObject({
      event: 'rollout.completed',
      state: 'pending',
      attempts: 0,
      deliveredAt: null,
      // Slack would read <…> as a link: escaped as Slack asks.
      text: 'R&amp;D rollout &lt;r-13&gt; completed',
    });
  });
});
