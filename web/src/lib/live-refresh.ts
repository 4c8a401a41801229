/** How often a page follows something the server is changing on its own (a rollout, a repair). */
export const liveRefreshMs = 2_000;
