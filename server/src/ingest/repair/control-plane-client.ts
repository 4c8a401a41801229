/** A repair the control plane handed to this instance (leased; renewed by progress). */
export type ClaimedRepair = {
  repairId: number;
  siteKey: string;
  badVersion: string;
  since: string;
  leaseUntil: string;
};

export type RepairState = 'queued' | 'restoring' | 'replaying' | 'exporting' | 'done' | 'failed';

export type RepairProgress = {
  repairId: number;
  siteKey: string;
  state: Exclude<RepairState, 'queued'>;
  reason?: string;
  details?: Record<string, unknown>;
};

/** The control plane did not answer, or answered with an error: try again later. */
export class ControlPlaneUnavailable extends Error {}

/**
 * The repair endpoints of the control plane, called by this process only (pull model: the
 * control plane never calls the ingestion API). Authenticated with the ingest token.
 */
export function repairClient(options: { url: string; token: string; timeoutMs?: number }) {
  async function post<T>(path: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, options.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new ControlPlaneUnavailable(`${path}: ${cause ?? (err as Error).message}`);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new ControlPlaneUnavailable(`${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    }
    return (await response.json()) as T;
  }

  return {
    claim: async (body: { instanceId: string; max: number }) =>
      (await post<{ tasks: ClaimedRepair[] }>('/api/v1/repairs/claim', body)).tasks,
    progress: (updates: RepairProgress[]) =>
      post<{ applied: number }>('/api/v1/repairs/progress', { updates }),
  };
}

export type RepairClient = ReturnType<typeof repairClient>;
