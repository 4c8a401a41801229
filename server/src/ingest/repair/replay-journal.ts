import type { Db } from '../../db/database.ts';
import type { FeedType } from '../feed.ts';
import { journaledFeed } from '../journal/journal-store.ts';
import type { Pipeline, Product } from '../pipelines/product.ts';
import { runPipeline } from '../pipelines/run-pipeline.ts';

/**
 * The catalog that replaying `entries` (journal order) with `pipeline` leaves, or undefined when
 * every one of them fails — then the catalog is what it was before them.
 *
 * Every feed is a site's whole catalog and a pipeline is a pure function of its feed: an entry
 * that succeeds replaces the catalog, one that fails leaves it alone. So the catalog after
 * entries a…z is the output of the LAST entry whose pipeline succeeds. The replay therefore runs
 * the pipeline newest first and stops at the first success — the same catalog as running all of
 * them in order, without reading and parsing every payload (ten feeds a site, a thousand sites).
 */
export async function replayJournal(options: {
  db: Db;
  entries: readonly { id: string }[];
  pipeline: Pipeline;
}): Promise<{ products: Product[] | undefined; pipelineRuns: number }> {
  let runs = 0;
  for (let i = options.entries.length - 1; i >= 0; i--) {
    const entry = await options.db.ingestImport.findUniqueOrThrow({
      where: { id: options.entries[i]!.id },
      select: { id: true, payload: true, contentType: true },
    });
    runs++;
    const products: Product[] = [];
    const run = await runPipeline({
      pipeline: options.pipeline,
      contentType: entry.contentType as FeedType,
      parts: journaledFeed(options.db, entry),
      onProducts: (batch) => void products.push(...batch),
    });
    // A feed that fails with this pipeline leaves the catalog as whatever came before it.
    if (run.ok) return { products, pipelineRuns: runs };
  }
  return { products: undefined, pipelineRuns: runs };
}
