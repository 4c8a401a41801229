// A stand-in for the control plane's repair endpoints, in front of a real control plane: it
// answers POST /api/v1/repairs/claim and /progress itself (recording what it receives) and passes
// every other request through, so the ingestion API reads real pins from the real server.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initialTokens } from './control-plane.ts';

export type RepairTaskSpec = { repairId: number; siteKey: string; badVersion: string; since: Date };
export type ReceivedProgress = {
  repairId: number;
  siteKey: string;
  state: string;
  reason?: string;
  details?: Record<string, unknown>;
};

const leaseMs = 60_000;
const terminal = new Set(['done', 'failed']);

export async function startRepairPlane(options: { upstream: string; token?: string }) {
  const token = options.token ?? initialTokens.ingest;
  const tasks = new Map<string, RepairTaskSpec & { leaseUntil: number; state: string }>();
  const progress: ReceivedProgress[] = [];
  const claims: { instanceId: string; max: number; got: number }[] = [];
  /** Repair endpoints drop the connection (the control plane is unreachable for them). */
  let repairsDown = false;
  /** Only progress is refused (claims still work). */
  let progressDown = false;
  /** The SDK is told its pins are current (304): it keeps what it has, as if it had not polled. */
  let pinsFrozen = false;

  const key = (t: { repairId: number; siteKey: string }) => `${t.repairId}/${t.siteKey}`;

  async function repairs(req: IncomingMessage, res: ServerResponse, body: string) {
    if (repairsDown || (progressDown && req.url === '/api/v1/repairs/progress')) {
      req.socket.destroy();
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    const input = JSON.parse(body);
    if (req.url === '/api/v1/repairs/claim') {
      const now = Date.now();
      const due = [...tasks.values()]
        .filter((t) => !terminal.has(t.state) && t.leaseUntil < now)
        .slice(0, input.max);
      for (const t of due) t.leaseUntil = now + leaseMs;
      claims.push({ instanceId: input.instanceId, max: input.max, got: due.length });
      return json(res, {
        tasks: due.map((t) => ({
          repairId: t.repairId,
          siteKey: t.siteKey,
          badVersion: t.badVersion,
          since: t.since.toISOString(),
          leaseUntil: new Date(t.leaseUntil).toISOString(),
        })),
      });
    }
    if (req.url === '/api/v1/repairs/progress') {
      let applied = 0;
      for (const update of input.updates as ReceivedProgress[]) {
        progress.push(update);
        const task = tasks.get(key(update));
        if (!task || terminal.has(task.state)) continue;
        task.state = update.state;
        task.leaseUntil = Date.now() + leaseMs;
        applied++;
      }
      return json(res, { applied });
    }
    res.writeHead(404).end();
  }

  async function passThrough(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
        headers[name] = value;
    }
    try {
      const upstream = await fetch(new URL(req.url!, options.upstream), {
        method: req.method,
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      });
      const out: Record<string, string> = {};
      // fetch has decoded the body already: drop what described the encoded one.
      upstream.headers.forEach((value, name) => {
        if (
          !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)
        )
          out[name] = value;
      });
      res.writeHead(upstream.status, out).end(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.writeHead(502).end();
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.startsWith('/api/v1/repairs/'))
        void repairs(req, res, body.toString('utf8')).catch(() => res.writeHead(500).end());
      else if (pinsFrozen && req.url?.startsWith('/api/client/features')) res.writeHead(304).end();
      else void passThrough(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    /** Queues site repairs to be claimed. */
    add(specs: RepairTaskSpec[]) {
      for (const s of specs) tasks.set(key(s), { ...s, leaseUntil: 0, state: 'queued' });
    },
    /** Every progress update received, in order. */
    progress,
    claims,
    stateOf: (repairId: number, siteKey: string) => tasks.get(key({ repairId, siteKey }))?.state,
    /** The states one site's repair went through, as received. */
    statesOf: (repairId: number, siteKey: string) =>
      progress.filter((p) => p.repairId === repairId && p.siteKey === siteKey).map((p) => p.state),
    lastUpdate: (repairId: number, siteKey: string) =>
      progress.filter((p) => p.repairId === repairId && p.siteKey === siteKey).at(-1),
    allFinished: (repairId: number) =>
      [...tasks.values()]
        .filter((t) => t.repairId === repairId)
        .every((t) => terminal.has(t.state)),
    expireLeases() {
      for (const t of tasks.values()) t.leaseUntil = 0;
    },
    setRepairsDown(down: boolean) {
      repairsDown = down;
    },
    setProgressDown(down: boolean) {
      progressDown = down;
    },
    setPinsFrozen(frozen: boolean) {
      pinsFrozen = frozen;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function json(res: ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Checks that states arrived in the order a repair moves through them. */
export function inRepairOrder(states: string[]): boolean {
  const order = ['restoring', 'replaying', 'exporting', 'done', 'failed'];
  const ranks = states.map((s) => order.indexOf(s));
  return ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1]!));
}
