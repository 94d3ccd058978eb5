// When a watch cache's view counts as stale.
import { isStale } from '../../src/k8s/freshness';

const limits = { silenceMs: 90_000, reconnectMs: 3_000 };
const now = 1_000_000;

test('a cache that has never listed is stale', () => {
  expect(isStale({ synced: false, connectedAt: now, lastHeardAt: now }, now, limits)).toBe(true);
});

test('an open watch is current until it has been silent longer than bookmarks allow', () => {
  expect(isStale({ synced: true, connectedAt: now - 200_000, lastHeardAt: now - 60_000 }, now, limits)).toBe(false);
  expect(isStale({ synced: true, connectedAt: now - 200_000, lastHeardAt: now - 90_001 }, now, limits)).toBe(true);
});

test('a watch that just opened makes a long-silent cache current again', () => {
  expect(isStale({ synced: true, connectedAt: now - 1_000, lastHeardAt: now - 600_000 }, now, limits)).toBe(false);
});

test('without a watch, the cache is current only for as long as a reconnection takes', () => {
  expect(isStale({ synced: true, connectedAt: undefined, lastHeardAt: now - 2_000 }, now, limits)).toBe(false);
  expect(isStale({ synced: true, connectedAt: undefined, lastHeardAt: now - 3_001 }, now, limits)).toBe(true);
});
