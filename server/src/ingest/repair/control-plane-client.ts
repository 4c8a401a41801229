import { settle } from '../control-plane/control-plane-api.ts';
import type {
  ControlPlaneApi,
  PostAnswer,
  PostBody,
  Settled,
} from '../control-plane/control-plane-api.ts';

/** A repair the control plane handed to this instance (leased; renewed by progress). */
export type ClaimedRepair = PostAnswer<'/api/v1/repairs/claim'>['tasks'][number];

/** A site's repair moved on: what the control plane is told. */
export type RepairProgress = PostBody<'/api/v1/repairs/progress'>['updates'][number];

export type RepairState = RepairProgress['state'] | 'queued';

/** The control plane did not answer, or answered with an error: try again later. */
export class ControlPlaneUnavailable extends Error {}

/**
 * The repair endpoints of the control plane, called by this process only (pull model: the
 * control plane never calls the ingestion API). Authenticated with the ingest token.
 */
export function repairClient(options: { api: ControlPlaneApi; timeoutMs?: number }) {
  const { api } = options;
  const signal = () => AbortSignal.timeout(options.timeoutMs ?? 10_000);

  function answered<T>(path: string, settled: Settled<T>): T {
    if (!settled.ok) throw new ControlPlaneUnavailable(`${path}: ${settled.error}`);
    return settled.data;
  }

  return {
    claim: async (body: PostBody<'/api/v1/repairs/claim'>) =>
      answered(
        '/api/v1/repairs/claim',
        await settle(api.POST('/api/v1/repairs/claim', { body, signal: signal() })),
      ).tasks,
    progress: async (updates: RepairProgress[]) =>
      answered(
        '/api/v1/repairs/progress',
        await settle(api.POST('/api/v1/repairs/progress', { body: { updates }, signal: signal() })),
      ),
  };
}

export type RepairClient = ReturnType<typeof repairClient>;
