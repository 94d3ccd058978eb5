// Whether a watch cache's view can be trusted now. The cache hears from the server through a
// list, each event on a watch (bookmarks arrive regularly on a healthy one) and the server's
// orderly end of a watch; an open watch keeps it current. A cache is stale when it has never
// listed, when its open watch has said nothing for longer than a healthy one stays quiet, or when
// it has been without a working watch for longer than a reconnection takes. A watch that opens and
// then fails (an ERROR event, a cut) is no news: it does not make the cache current.
export interface Freshness {
  /** The first list has filled the cache. */
  synced: boolean;
  /** When the open watch's headers arrived (ms since epoch); undefined while no watch is open. */
  connectedAt: number | undefined;
  /** When the server last told us something that brings the view up to date (ms since epoch; 0 for never). */
  lastHeardAt: number;
}

export interface StaleLimits {
  /** Longest quiet a healthy open watch shows (bookmarks arrive well within it). */
  silenceMs: number;
  /** Longest a cache may be between watches (a reconnection, a relist) and still count as current. */
  reconnectMs: number;
}

export function isStale(f: Freshness, now: number, limits: StaleLimits): boolean {
  if (!f.synced) return true;
  if (f.connectedAt !== undefined) return now - Math.max(f.lastHeardAt, f.connectedAt) > limits.silenceMs;
  return now - f.lastHeardAt > limits.reconnectMs;
}
