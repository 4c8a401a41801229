import type { Db } from '../db/database.ts';
import { AppError } from '../lib/errors.ts';
import { replaceCatalog } from './catalog-store.ts';
import { pipelineFor } from './pipelines/index.ts';
import type { PinReader } from './pin-reader.ts';
import type { ImportReporter } from './reporter.ts';

/** Refusals the sender should retry later: never process an import with a guessed version. */
function retryLater(status: 409 | 503, code: string, message: string, seconds: number): AppError {
  return new AppError({ status, code, message, headers: { 'Retry-After': String(seconds) } });
}

export function createImportService(deps: { db: Db; pins: PinReader; reporter: ImportReporter }) {
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
      const pipeline = pipelineFor(pin.version);
      if (!pipeline) {
        throw retryLater(
          503,
          'pipeline_missing',
          `site '${siteKey}' is pinned to ${pin.version}, which this ingestion API does not run`,
          60,
        );
      }
      const started = performance.now();
      const { products, rejected } = pipeline.process(items);
      const record = await replaceCatalog(deps.db, {
        siteKey,
        version: pipeline.version,
        received: items.length,
        products,
        rejected,
        durationMs: Math.round(performance.now() - started),
      });
      void deps.reporter.kick();
      return { record, rejected };
    },
  };
}
