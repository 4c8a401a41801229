import { AppError } from '../../lib/errors.ts';
import { feedBatches } from '../feed.ts';
import type { FeedType } from '../feed.ts';
import type { FeedRun, Pipeline, Product, Rejection } from './product.ts';

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
    }
  | { ok: false; received: number; failure: string };

/**
 * Runs a pipeline over a journaled feed a batch at a time (feedBatches), handing each batch's
 * products to `onProducts` as it goes: neither the feed's products nor the catalog ever exist as
 * objects all at once, and the event loop turns between batches. A pipeline (or parse) error
 * fails the whole feed — the caller undoes what `onProducts` wrote — but the rest is still read,
 * so a failed import says how many products it received.
 */
export async function runPipeline(options: {
  pipeline: Pipeline;
  contentType: FeedType;
  /** The feed's text, part by part (journal-store `journaledFeed`). */
  parts: AsyncIterable<string>;
  onProducts: (products: Product[]) => Promise<void> | void;
}): Promise<PipelineOutcome> {
  const run: FeedRun = { offset: 0, skus: new Set() };
  const rejections: Rejection[] = [];
  let [received, imported, rejected, errors] = [0, 0, 0, 0];
  let failure: string | undefined;
  try {
    for await (const batch of feedBatches(options)) {
      received += batch.length;
      if (failure !== undefined) continue;
      let products: Product[];
      try {
        const result = options.pipeline.process(batch, run);
        products = result.products;
        rejected += result.rejected.length;
        rejections.push(...result.rejected.slice(0, keptRejections - rejections.length));
        errors += result.errors ?? 0;
      } catch (err) {
        failure = messageOf(err);
        continue;
      }
      run.offset += batch.length;
      imported += products.length;
      await options.onProducts(products);
    }
  } catch (err) {
    // A feed the checks at the door did not refuse (journaled before they existed) fails here;
    // anything else (reading the journal, writing the catalog) is the caller's to retry.
    if (!(err instanceof AppError)) throw err;
    failure ??= messageOf(err);
  }
  if (failure !== undefined) return { ok: false, received, failure };
  return { ok: true, received, imported, rejected, rejections, errors };
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 2_000);
}
