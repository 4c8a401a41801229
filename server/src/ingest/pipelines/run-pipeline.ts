import { addCatalogRows } from '../catalog-store.ts';
import type { CatalogRows } from '../catalog-store.ts';
import { feedBatches } from '../feed.ts';
import type { FeedType } from '../feed.ts';
import type { FeedRun, Pipeline, Rejection } from './product.ts';

/** Items handed to a pipeline at once: a few milliseconds of work between turns of the loop. */
const batchSize = 1_000;
/** Rejections kept with an import (all are counted). */
const keptRejections = 1_000;

export type PipelineOutcome =
  | {
      ok: true;
      received: number;
      imported: number;
      rejected: number;
      /** The first 1,000 rejections. */
      rejections: Rejection[];
      errors: number;
      rows: CatalogRows;
    }
  | { ok: false; received: number; failure: string };

/**
 * Runs a pipeline over a journaled feed a batch at a time (feedBatches), so neither the feed's
 * products nor the catalog ever exist as objects all at once and the event loop turns between
 * batches. A pipeline (or parse) error fails the whole feed — a failed import touches no
 * product — but the rest is still read, so a failed import says how many products it received.
 */
export async function runPipeline(options: {
  pipeline: Pipeline;
  contentType: FeedType;
  text: string;
}): Promise<PipelineOutcome> {
  const run: FeedRun = { offset: 0, skus: new Set() };
  const rejections: Rejection[] = [];
  let rows: CatalogRows = [];
  let [received, imported, rejected, errors] = [0, 0, 0, 0];
  let failure: string | undefined;
  try {
    for await (const batch of feedBatches({ ...options, batchSize })) {
      received += batch.length;
      if (failure !== undefined) continue;
      try {
        const result = options.pipeline.process(batch, run);
        addCatalogRows(rows, result.products);
        imported += result.products.length;
        rejected += result.rejected.length;
        rejections.push(...result.rejected.slice(0, keptRejections - rejections.length));
        errors += result.errors ?? 0;
      } catch (err) {
        failure = messageOf(err);
        rows = [];
      }
      run.offset += batch.length;
    }
  } catch (err) {
    failure ??= messageOf(err);
  }
  if (failure !== undefined) return { ok: false, received, failure };
  return { ok: true, received, imported, rejected, rejections, errors, rows };
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 2_000);
}
