import type { Db } from '../db/database.ts';
import { AppError } from '../lib/errors.ts';
import { recordFailedImport, replaceCatalog } from './catalog-store.ts';
import { pipelineFor } from './pipelines/index.ts';
import type { PipelineLookup } from './pipelines/index.ts';
import type { PinReader } from './pin-reader.ts';
import type { ImportReporter } from './reporter.ts';

/** Refusals the sender should retry later: never process an import with a guessed version. */
function retryLater(status: 409 | 503, code: string, message: string, seconds: number): AppError {
  return new AppError({ status, code, message, headers: { 'Retry-After': String(seconds) } });
}

export function createImportService(deps: {
  db: Db;
  pins: PinReader;
  reporter: ImportReporter;
  /** Which pipeline runs a version; tests pass one that fails. */
  pipelines?: PipelineLookup;
}) {
  const pipelines = deps.pipelines ?? pipelineFor;
  return {
    /** Processes one feed with the pipeline of the site's pinned version, then reports it. */
    async importFeed(options: { siteKey: string; items: unknown[] }) {
      const { siteKey, items } = options;
      const pin = deps.pins.lookup(siteKey);
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
      if (pin.paused) {
        throw retryLater(
          409,
          'site_paused',
          `site '${siteKey}' is paused; imports resume when it is resumed`,
          60,
        );
      }
      const pipeline = pipelines(pin.version);
      if (!pipeline) {
        throw retryLater(
          503,
          'pipeline_missing',
          `site '${siteKey}' is pinned to ${pin.version}, which this ingestion API does not run`,
          60,
        );
      }
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      let result;
      try {
        result = pipeline.process(items);
      } catch (err) {
        // A failed import is data for the canary analysis: keep and report it, touch no product.
        const failure = err instanceof Error ? err.message : String(err);
        const record = await recordFailedImport(deps.db, {
          siteKey,
          version: pipeline.version,
          received: items.length,
          failure,
          durationMs: elapsed(),
        });
        void deps.reporter.kick();
        throw new AppError({
          status: 500,
          code: 'pipeline_failed',
          message: `the ${pipeline.version} pipeline failed on site '${siteKey}' (import ${record.id}): ${failure}; the catalog was left as it was`,
          details: [{ path: 'importId', message: record.id }],
        });
      }
      const record = await replaceCatalog(deps.db, {
        siteKey,
        version: pipeline.version,
        received: items.length,
        products: result.products,
        rejected: result.rejected,
        errors: result.errors ?? 0,
        durationMs: elapsed(),
      });
      void deps.reporter.kick();
      return { record, rejected: result.rejected };
    },
  };
}
