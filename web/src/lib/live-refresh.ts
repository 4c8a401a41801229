import { formatSeconds } from './format';

/**
 * How often a page follows something the server is changing on its own (a rollout, a repair,
 * the sensors). Every poller takes its interval from here, and every page says it with
 * `liveRefreshNote`, so the two cannot disagree.
 */
export const liveRefreshMs = 2_000;

/** "refreshing every 2 s" */
export const liveRefreshNote = `refreshing every ${formatSeconds(liveRefreshMs / 1000)}`;
