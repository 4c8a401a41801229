import express from 'express';
import type { Router } from 'express';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { feedTypeOf } from '../feed.ts';
import type { PinReader } from '../pin-reader.ts';
import type { PipelineLookup } from '../pipelines/index.ts';
import { importIdFrom, siteFrom } from '../site-param.ts';
import { acceptImport } from './accept-import.ts';
import { findImport, journalSummary } from './journal-store.ts';

const maxIdempotencyKey = 200;

export function journalRoutes(deps: {
  db: Db;
  pins: PinReader;
  pipelines: PipelineLookup;
  clock: Clock;
  maxFeedBytes: number;
  /** Called once an import is journaled, so a worker picks it up at once. */
  onAccepted(siteKey: string): void;
  /** True while a worker processes this import (the database says `queued` until it commits). */
  isProcessing(importId: string): boolean;
}): Router {
  const router = express.Router();

  router.post(
    '/ingest/v1/sites/:siteId/imports',
    // The body is kept as text: the journal stores the feed exactly as received.
    express.text({ limit: deps.maxFeedBytes, type: () => true }),
    async (req, res) => {
      const siteKey = siteFrom(req.params.siteId);
      if (typeof req.body !== 'string' || req.body === '') {
        throw new ValidationError(
          'body: send the feed as application/json (an array) or text/csv',
          [{ path: 'body', message: 'missing' }],
        );
      }
      const contentType = feedTypeOf(req.get('content-type'));
      if (!contentType) {
        throw new AppError({
          status: 415,
          code: 'unsupported_media_type',
          message: `Content-Type '${req.get('content-type') ?? ''}' is not a feed format; send application/json (an array) or text/csv`,
          details: [{ path: 'Content-Type', message: 'unsupported' }],
        });
      }
      const idempotencyKey = req.get('idempotency-key');
      if (
        idempotencyKey !== undefined &&
        (!idempotencyKey || idempotencyKey.length > maxIdempotencyKey)
      ) {
        throw new ValidationError(`Idempotency-Key: must be 1 to ${maxIdempotencyKey} characters`, [
          { path: 'Idempotency-Key', message: `1 to ${maxIdempotencyKey} characters` },
        ]);
      }
      const accepted = await acceptImport({
        db: deps.db,
        pins: deps.pins,
        pipelines: deps.pipelines,
        clock: deps.clock,
        siteKey,
        contentType,
        text: req.body,
        idempotencyKey,
      });
      if (accepted.created) deps.onAccepted(siteKey);
      const { created, ...body } = accepted;
      if (!created && body.state === 'queued' && deps.isProcessing(body.importId))
        body.state = 'processing';
      res
        .status(created ? 202 : 200)
        .location(`/ingest/v1/imports/${body.importId}`)
        .json(body);
    },
  );

  router.get('/ingest/v1/imports/:id', async (req, res) => {
    const importId = importIdFrom(req.params.id);
    const row = await findImport(deps.db, importId);
    if (!row) throw new NotFoundError(`import '${importId}' does not exist`);
    const { id, seq, siteKey, state, ...rest } = row;
    res.json({
      id,
      siteId: siteKey,
      position: Number(seq),
      state: state === 'queued' && deps.isProcessing(row.id) ? 'processing' : state,
      ...rest,
    });
  });

  /** The backlog at a glance: entries by state and the age of the oldest waiting one. */
  router.get('/ingest/v1/journal', async (_req, res) => {
    res.json(await journalSummary(deps.db));
  });

  return router;
}
