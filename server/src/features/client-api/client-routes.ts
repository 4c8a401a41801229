import type { Request } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { route } from '../../http/route.ts';
import { ValidationError } from '../../lib/errors.ts';
import { unstorableValue } from '../../lib/storable-text.ts';
import type { FeaturesCache } from './features-cache.ts';
import type { InstanceRecorder } from './instance-recorder.ts';
import type { RevisionWatcher } from './revision-watcher.ts';

// Unleash SDKs send fields of their own beside these; the protocol endpoints accept them
// (docs/adr/0004-unleash-client-api.md).
const SdkIdentity = z.looseObject({
  appName: z.string().min(1).max(200),
  instanceId: z.string().min(1).max(200),
  sdkVersion: z.string().max(100).optional(),
});

function revisionFromEtag(header: string | undefined): bigint | undefined {
  const match = header?.match(/^(?:W\/)?"(\d+)"$/);
  return match ? BigInt(match[1]!) : undefined;
}

const identityHeaders = {
  appName: 'unleash-appname',
  instanceId: 'unleash-instanceid',
  sdkVersion: 'unleash-sdk',
} as const;

/** The SDK's identity from its headers, held to the same rules as a register body. */
function identityFromHeaders(req: Request) {
  const raw = {
    appName: req.header(identityHeaders.appName),
    instanceId: req.header(identityHeaders.instanceId),
    sdkVersion: req.header(identityHeaders.sdkVersion),
  };
  if (!raw.appName || !raw.instanceId) return undefined;
  const unstorable = unstorableValue(raw);
  const parsed = SdkIdentity.safeParse(raw);
  const problem = unstorable ?? parsed.error?.issues[0];
  if (!problem) return raw as z.output<typeof SdkIdentity>;
  const {
    path: [field],
    message,
  } = problem;
  const path = `headers.${identityHeaders[field as keyof typeof identityHeaders]}`;
  throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
}

export function clientRoutes(deps: {
  db: Db;
  features: FeaturesCache;
  instances: InstanceRecorder;
  revisions: RevisionWatcher;
}) {
  const { features, instances } = deps;
  return [
    route({
      method: 'get',
      path: '/api/client/features',
      tag: 'client',
      summary:
        'Unleash client API: pins and pauses as flags; ETag per revision, 304 when unchanged',
      permission: 'client',
      response: z.object({
        version: z.number(),
        features: z.array(z.unknown()),
        meta: z.unknown(),
      }),
      errors: [304],
      async handler({ req, res }) {
        const held = revisionFromEtag(req.header('if-none-match'));
        const snapshot = await features.get({ held });
        const identity = identityFromHeaders(req);
        res.set({ ETag: snapshot.etag, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding' });
        if (held === snapshot.revision) {
          if (identity) instances.saw({ ...identity, revision: held });
          res.status(304).end();
          return;
        }
        if (identity) instances.saw({ ...identity, revision: snapshot.revision });
        const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
        res.status(200).set({
          'Content-Type': 'application/json; charset=utf-8',
          ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        });
        res.end(gzip ? snapshot.gzip : snapshot.json);
      },
    }),
    route({
      method: 'post',
      path: '/api/client/register',
      tag: 'client',
      summary: 'Unleash client API: an SDK instance announces itself',
      permission: 'client',
      body: SdkIdentity,
      status: 202,
      async handler({ body }) {
        instances.saw({
          appName: body.appName,
          instanceId: body.instanceId,
          sdkVersion: body.sdkVersion,
        });
      },
    }),
    route({
      method: 'post',
      path: '/api/client/metrics',
      tag: 'client',
      summary: 'Unleash client API: usage metrics (recorded as a sign of life)',
      permission: 'client',
      body: SdkIdentity,
      status: 202,
      async handler({ body }) {
        instances.saw({ appName: body.appName, instanceId: body.instanceId });
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/client-instances',
      tag: 'client',
      summary: 'SDK instances seen, and the revision each holds against the current one',
      permission: 'viewer',
      response: z.object({
        currentRevision: z.string(),
        items: z.array(
          z.object({
            appName: z.string(),
            instanceId: z.string(),
            sdkVersion: z.string().nullable(),
            lastRevision: z.string().nullable(),
            upToDate: z.boolean(),
            firstSeenAt: z.iso.datetime(),
            lastSeenAt: z.iso.datetime(),
          }),
        ),
      }),
      async handler() {
        await instances.flush();
        const current = await deps.revisions.refresh();
        const rows = await deps.db.clientInstance.findMany({
          orderBy: { lastSeenAt: 'desc' },
          take: 1000,
        });
        return {
          currentRevision: String(current),
          items: rows.map((r) => ({
            appName: r.appName,
            instanceId: r.instanceId,
            sdkVersion: r.sdkVersion,
            lastRevision: r.lastRevision === null ? null : String(r.lastRevision),
            upToDate: r.lastRevision === current,
            firstSeenAt: r.firstSeenAt.toISOString(),
            lastSeenAt: r.lastSeenAt.toISOString(),
          })),
        };
      },
    }),
  ];
}
