import express from 'express';
import type { Router } from 'express';
import type { Db } from '../../db/database.ts';
import { pageFrom, siteFrom } from '../site-param.ts';
import { listExports } from './export-store.ts';

export function exportRoutes(deps: { db: Db }): Router {
  const router = express.Router();
  /** A site's export runs, newest first: delivered, retrying (with the last error), superseded. */
  router.get('/ingest/v1/sites/:siteId/exports', async (req, res) => {
    const siteKey = siteFrom(req.params.siteId);
    const page = pageFrom(req.query);
    res.json({ siteId: siteKey, items: await listExports(deps.db, { siteKey, ...page }) });
  });
  return router;
}
