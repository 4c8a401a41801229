import express from 'express';
import type { Router } from 'express';
import type { Db } from '../../db/database.ts';
import { pageFrom, siteFrom } from '../site-param.ts';
import { listSnapshots } from './snapshot-store.ts';

export function snapshotRoutes(deps: { db: Db }): Router {
  const router = express.Router();
  /** A site's catalog snapshots, newest first, without their products. */
  router.get('/ingest/v1/sites/:siteId/snapshots', async (req, res) => {
    const siteKey = siteFrom(req.params.siteId);
    const page = pageFrom(req.query);
    res.json({ siteId: siteKey, items: await listSnapshots(deps.db, { siteKey, ...page }) });
  });
  return router;
}
