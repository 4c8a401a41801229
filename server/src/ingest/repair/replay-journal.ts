import type { Db } from '../../db/database.ts';
import type { CatalogRows } from '../catalog-store.ts';
import type { FeedType } from '../feed.ts';
import type { Pipeline } from '../pipelines/product.ts';
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
}): Promise<{ rows: CatalogRows | undefined; count: number; pipelineRuns: number }> {
  let runs = 0;
  for (let i = options.entries.length - 1; i >= 0; i--) {
    const entry = await options.db.ingestImport.findUnique({
      where: { id: options.entries[i]!.id },
      select: { payload: true, contentType: true },
    });
    runs++;
    const run = await runPipeline({
      pipeline: options.pipeline,
      contentType: entry!.contentType as FeedType,
      text: entry!.payload ?? '[]',
    });
    // A feed that fails with this pipeline leaves the catalog as whatever came before it.
    if (run.ok) return { rows: run.rows, count: run.imported, pipelineRuns: runs };
  }
  return { rows: undefined, count: 0, pipelineRuns: runs };
}
