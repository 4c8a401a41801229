import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { ErrorCode } from '../../lib/errors.ts';
import { receiveFeed } from '../feed.ts';
import type { FeedType } from '../feed.ts';
import type { PinReader } from '../pin-reader.ts';
import type { PipelineLookup } from '../pipelines/index.ts';
import { appendImport } from './journal-store.ts';

/** Refusals the sender should retry later: never journal an import we could not process. */
function retryLater(
  status: 409 | 503,
  code: ErrorCode,
  message: string,
  seconds: number,
): AppError {
  return new AppError({ status, code, message, headers: { 'Retry-After': String(seconds) } });
}

export type AcceptedImport = {
  importId: string;
  siteId: string;
  state: string;
  position: number;
  /** False when an earlier request with the same idempotency key had already journaled it. */
  created: boolean;
};

/**
 * Accepts an import: checks the site's pin, then reads the feed as it streams in — checking,
 * hashing and keeping its text (feed.ts) — and writes it as received to the journal. Nothing is
 * written for a refused import. Processing happens later, in journal order
 * (worker/import-workers.ts), and never delays this: the answer comes once the feed is journaled,
 * whatever the backlog. A paused site's imports wait there until it is resumed.
 */
export async function acceptImport(options: {
  db: Db;
  pins: PinReader;
  pipelines: PipelineLookup;
  clock: Clock;
  siteKey: string;
  contentType: FeedType;
  /** The feed's bytes as they arrive. */
  body: AsyncIterable<Uint8Array>;
  idempotencyKey?: string;
}): Promise<AcceptedImport> {
  const { siteKey } = options;
  // Refusals that need no body come first: nothing is read for an import refused anyway.
  const pin = options.pins.lookup(siteKey);
  if (pin.status === 'not-ready') {
    throw retryLater(
      503,
      'pins_unavailable',
      'pins have not been read from the control plane yet; retry shortly',
      5,
    );
  }
  if (pin.status === 'unknown') {
    throw retryLater(
      409,
      'site_unknown',
      `site '${siteKey}' has no pinned version in the control plane; retry once it is created`,
      30,
    );
  }
  if (!options.pipelines(pin.version)) {
    throw retryLater(
      503,
      'pipeline_missing',
      `site '${siteKey}' is pinned to ${pin.version}, which this ingestion API does not run`,
      60,
    );
  }

  const feed = await receiveFeed({ contentType: options.contentType, body: options.body });
  const { created, entry } = await appendImport(options.db, {
    siteKey,
    idempotencyKey: options.idempotencyKey,
    contentType: options.contentType,
    contentHash: feed.contentHash,
    parts: feed.parts,
    receivedAt: options.clock.now(),
  });
  if (!created && entry.contentHash !== feed.contentHash) {
    throw new AppError({
      status: 422,
      code: 'idempotency_key_reused',
      message: `Idempotency-Key '${options.idempotencyKey}' was already used for import ${entry.id} of site '${siteKey}' with a different feed; use a new key for a new feed`,
      details: [{ path: 'Idempotency-Key', message: `already used by import ${entry.id}` }],
    });
  }
  return {
    importId: entry.id,
    siteId: siteKey,
    state: entry.state,
    position: Number(entry.seq),
    created,
  };
}
