import type { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { Unleash } from 'unleash-client';
import { indexPins } from './pin-index.ts';
import type { FlagDefinition, Pin, PinIndex } from './pin-index.ts';
import { SiteIdsStrategy } from './site-ids-strategy.ts';

export const versionFlag = 'platform-api-version';
export const pausedFlag = 'platform-api-paused';

export type PinLookup = Pin | { readonly status: 'unknown' } | { readonly status: 'not-ready' };

const unknown = Object.freeze({ status: 'unknown' as const });
const notReady = Object.freeze({ status: 'not-ready' as const });

export interface PinReader {
  lookup(siteKey: string): PinLookup;
  /** True once pins are known, from the control plane or from the last saved copy. */
  readonly ready: boolean;
  /** True once the control plane itself has answered since this process started. */
  readonly synchronized: boolean;
  /** The SDK client, for callers that want the plain Unleash evaluation path. */
  readonly unleash: Unleash;
  close(): void;
}

/**
 * Reads pins with the stock unleash-client SDK. The SDK saves every payload under `backupDir` and
 * loads it at start, so a restarted ingestion API keeps honouring the last pins it saw even
 * while the control plane is down.
 */
export function createPinReader(options: {
  url: string;
  token: string;
  appName: string;
  instanceId: string;
  refreshMs: number;
  backupDir: string;
  onError?: (err: Error) => void;
  /** Pins or pauses changed (or were first read): queued imports may be processable now. */
  onChange?: () => void;
}): PinReader {
  mkdirSync(options.backupDir, { recursive: true });
  const unleash = new Unleash({
    url: options.url,
    appName: options.appName,
    instanceId: options.instanceId,
    refreshInterval: options.refreshMs,
    metricsInterval: 60_000,
    customHeaders: { Authorization: options.token },
    strategies: [new SiteIdsStrategy()],
    backupPath: options.backupDir,
    skipInstanceCountWarning: true,
  });
  let index: PinIndex | undefined;
  const reindex = () => {
    index = indexPins(
      unleash.getFeatureToggleDefinition(versionFlag) as FlagDefinition | undefined,
      unleash.getFeatureToggleDefinition(pausedFlag) as FlagDefinition | undefined,
    );
    options.onChange?.();
  };
  unleash.on('ready', reindex);
  unleash.on('changed', reindex);
  unleash.on('error', (err: Error) => options.onError?.(err));

  return {
    lookup(siteKey) {
      return index ? (index[siteKey] ?? unknown) : notReady;
    },
    get ready() {
      return index !== undefined;
    },
    get synchronized() {
      return unleash.isSynchronized();
    },
    unleash,
    close() {
      unleash.destroy();
      // destroy() drops the SDK repository's listeners while a fetch may still be in flight; its
      // failure would then be an unhandled 'error' event, which ends the process.
      (unleash as unknown as { repository?: EventEmitter }).repository?.on('error', () => {});
    },
  };
}
