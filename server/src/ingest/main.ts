import { once } from 'node:events';
import { openDatabase } from '../db/database.ts';
import { closeServer } from '../lib/close-server.ts';
import { createLogger } from '../lib/logger.ts';
import { loadIngestConfig } from './config.ts';
import { createIngestion } from './ingest-service.ts';

const config = loadIngestConfig();
const logger = createLogger({ name: 'pinion-ingest', level: config.logLevel });
const database = await openDatabase(config.database);
const ingestion = await createIngestion({ config, database, logger });
const server = ingestion.app.listen(config.port, config.host);
await once(server, 'listening');
logger.info({ port: config.port, controlPlane: config.controlPlaneUrl }, 'ingestion API listening');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await closeServer(server);
  await ingestion.close();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
