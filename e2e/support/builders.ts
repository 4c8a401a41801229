// Test data made through the admin API. Every key and label value is unique per call, so tests
// running in parallel against one server never see each other's sites.
import { expect } from '@playwright/test';
import type { APIRequestContext } from '@playwright/test';
import { randomBytes } from 'node:crypto';

/** What the tests read back from the API; the full shape is in the server's OpenAPI document. */
export type Site = {
  key: string;
  name: string;
  labels: Record<string, string>;
  pinnedVersion: string;
  paused: boolean;
};

/** One change of a site's pin, newest first in a history. */
export type PinChange = {
  fromVersion: string | null;
  toVersion: string;
  actor: string;
  reason: string;
  rolloutId: number | null;
};

export type Rollout = { id: number; ref: string; state: string; endReason: string | null };

export type RolloutTarget = { siteKey: string; fromVersion: string; stage: number; status: string };

export type NewSite = {
  key?: string;
  name?: string;
  labels?: Record<string, string>;
  version?: string;
};

/** A site key or label value no other test will use: `prefix-<time>-<random>`. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export class PinionApi {
  readonly #request: APIRequestContext;

  constructor(request: APIRequestContext) {
    this.#request = request;
  }

  async createSite(site: NewSite = {}): Promise<Site> {
    const key = site.key ?? uniqueId('site');
    const response = await this.#request.post('/api/v1/sites', {
      data: {
        key,
        name: site.name ?? `Site ${key}`,
        labels: site.labels ?? {},
        version: site.version,
      },
    });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as Site;
  }

  /** Creates many sites in one all-or-nothing request. */
  async importSites(sites: (NewSite & { key: string; name: string })[]): Promise<void> {
    const response = await this.#request.post('/api/v1/sites/import', { data: { sites } });
    expect(response.status(), await response.text()).toBe(201);
  }

  async setPin(
    key: string,
    change: { version: string; reason: string; expectedVersion?: string },
  ): Promise<Site> {
    const response = await this.#request.put(`/api/v1/sites/${encodeURIComponent(key)}/pin`, {
      data: change,
    });
    expect(response.status(), await response.text()).toBe(200);
    return ((await response.json()) as { site: Site }).site;
  }

  async getSite(key: string): Promise<Site> {
    return (await this.#get(`/api/v1/sites/${encodeURIComponent(key)}`)) as Site;
  }

  async pinHistory(key: string): Promise<PinChange[]> {
    const body = await this.#get(`/api/v1/sites/${encodeURIComponent(key)}/pin-history`);
    return (body as { items: PinChange[] }).items;
  }

  /** Plans a rollout of the sites a selector matches now; the server's default stages and bake. */
  async planRollout(plan: { targetVersion: string; selector: string }): Promise<Rollout> {
    const response = await this.#request.post('/api/v1/rollouts', { data: plan });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as Rollout;
  }

  async getRollout(id: number): Promise<Rollout> {
    return (await this.#get(`/api/v1/rollouts/${id}`)) as Rollout;
  }

  /** Every site the plan froze, with its pre-rollout pin and what the rollout did to it. */
  async rolloutTargets(id: number): Promise<RolloutTarget[]> {
    const body = await this.#get(`/api/v1/rollouts/${id}/targets?limit=1000`);
    return (body as { items: RolloutTarget[] }).items;
  }

  async #get(path: string): Promise<unknown> {
    const response = await this.#request.get(path);
    expect(response.status(), await response.text()).toBe(200);
    return response.json();
  }
}
