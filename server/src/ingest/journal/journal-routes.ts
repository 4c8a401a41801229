import express from 'express';
import type { Router } from 'express';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { PinReader } from '../pin-reader.ts';
import type { PipelineLookup } from '../pipelines/index.ts';
import { importIdFrom, siteFrom } from '../site-param.ts';
import { acceptImport } from './accept-import.ts';
import { feedRequest } from './feed-request.ts';
import { findImport, journalSummary } from './journal-store.ts';

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

  router.post('/ingest/v1/sites/:siteId/imports', async (req, res) => {
    const siteKey = siteFrom(req.params.siteId);
    const accepted = await acceptImport({
      db: deps.db,
      pins: deps.pins,
      pipelines: deps.pipelines,
      clock: deps.clock,
      siteKey,
      ...feedRequest(req, deps.maxFeedBytes),
    });
    if (accepted.created) deps.onAccepted(siteKey);
    const { created, ...body } = accepted;
    if (!created && body.state === 'queued' && deps.isProcessing(body.importId))
      body.state = 'processing';
    res
      .status(created ? 202 : 200)
      .location(`/ingest/v1/imports/${body.importId}`)
      .json(body);
  });

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

  /** What import jobs call, as OpenAPI (posting a feed, following it, the backlog). */

  /** The backlog at a glance: entries by state and the age of the oldest waiting one. */
  router.get('/ingest/v1/journal', async (_req, res) => {
    res.json(await journalSummary(deps.db));
  });

  return router;
}
