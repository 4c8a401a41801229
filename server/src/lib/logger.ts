import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

export function createLogger(options: { name: string; level: string }): Logger {
  return pino({ name: options.name, level: options.level });
}
