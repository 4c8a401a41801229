import { once } from 'node:events';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { createControlPlane } from './app.ts';
import { closeServer } from './lib/close-server.ts';
import { createLogger } from './lib/logger.ts';

const config = loadConfig();
const logger = createLogger({ name: 'pinion', level: config.logLevel });
const database = await openDatabase(config.database);
const plane = await createControlPlane({ config, database, logger });

if (plane.generatedAdminToken) {
  // Printed once: only its hash is stored.
  console.log(
    `\nNo admin token existed, so one was created. Keep it; it is not shown again:\n\n  ${plane.generatedAdminToken}\n`,
  );
}

const server = plane.app.listen(config.port, config.host);
await once(server, 'listening');
logger.info({ port: config.port, database: database.kind }, 'control plane listening');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  plane.setDraining();
  await closeServer(server);
  await plane.close();
  await database.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
