// How often waiting activities heartbeat, and how long Temporal waits for one before it retries
// the activity elsewhere: one definition, so the two cannot drift apart.
export const heartbeatEveryMs = 5_000;
/** Six missed heartbeats: a busy event loop is not mistaken for a lost worker. */
export const heartbeatTimeoutMs = 6 * heartbeatEveryMs;
