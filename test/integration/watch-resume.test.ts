// The watch cache against the real API server, through a loopback proxy that misbehaves on cue:
// it resumes after a cut stream, abandons a watch whose headers never come, relists on 410 Gone
// (the API server's own, and injected ones), and backs off from other ERROR events.
import type { V1ConfigMap } from '@kubernetes/client-node';
import { ApiProxy } from '../harness/api-proxy';
import { clients } from '../harness/k8s';
import { eventually } from '../harness/eventually';
import { testNamespace } from '../harness/namespace';
import { WatchCache } from '../../src/k8s/watch-cache';
import { managedBy, managedBySelector } from '../../src/core/labels';

const timings = { headersTimeoutMs: 1_000, listTimeoutMs: 5_000, silenceMs: 2_000, reconnectMs: 500, backoff: { baseMs: 100, capMs: 1_000 } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let proxy: ApiProxy;
let cache: WatchCache<V1ConfigMap> | undefined;
beforeAll(async () => (proxy = await ApiProxy.start(clients().config)));
afterAll(() => proxy.close());
/** A test that always stops its cache, puts the proxy back and deletes its ConfigMaps. */
function scenario(name: string, fn: () => Promise<void>): void {
  test(name, async () => {
    try {
      await fn();
    } finally {
      cache?.stop();
      cache = undefined;
      Object.assign(proxy, { holdWatchHeaders: false, watchAnswer: undefined, expireWatches: false });
      await clients().core.deleteCollectionNamespacedConfigMap({ namespace: testNamespace(), labelSelector: managedBySelector });
    }
  });
}

async function syncedCache(backoff = timings.backoff, keepDepartedMs?: number): Promise<WatchCache<V1ConfigMap>> {
  const path = `/api/v1/namespaces/${testNamespace()}/configmaps`;
  cache = new WatchCache<V1ConfigMap>(proxy.config, { path, labelSelector: managedBySelector, timings: { ...timings, backoff }, keepDepartedMs }).start();
  await cache.synced;
  await eventually(() => Promise.resolve(cache!.freshness().connectedAt !== undefined || undefined), 'the watch to open', 5_000);
  return cache;
}

const createConfigMap = (name: string) => clients().core.createNamespacedConfigMap({ namespace: testNamespace(), body: { metadata: { name, labels: { [managedBy.key]: managedBy.value } } } });
const sees = (c: WatchCache<V1ConfigMap>, name: string, ms = 5_000) => eventually(() => Promise.resolve(c.get(name).length > 0 || undefined), `the cache to see ${name}`, ms);

scenario('after a cut stream the cache watches again from where it was and sees a change made meanwhile', async () => {
  const c = await syncedCache();
  proxy.drop();
  await createConfigMap('made-while-cut');
  await sees(c, 'made-while-cut');
  expect(c.stats.failures).toBeGreaterThanOrEqual(1);
  expect(c.stats.watches).toBeGreaterThanOrEqual(2);
  expect(c.stats.lists).toBe(1); // resumed from its resourceVersion, no relist
});

scenario('a stream stalled mid-way is abandoned once silent past the limit, and the cache resumes', async () => {
  const c = await syncedCache();
  proxy.stallStreams();
  await createConfigMap('made-while-stalled');
  await sleep(500);
  expect(c.get('made-while-stalled')).toEqual([]);
  await sees(c, 'made-while-stalled', timings.silenceMs + 3_000);
  expect(c.stats.failures).toBeGreaterThanOrEqual(1);
  expect(c.stats.lists).toBe(1);
});

scenario('a watch whose headers never come is abandoned within the headers timeout, and the cache recovers', async () => {
  const c = await syncedCache();
  const since = Date.now();
  proxy.holdWatchHeaders = true;
  proxy.drop();
  await createConfigMap('made-while-hung');
  await sleep(3_000);
  const held = proxy.watchesSince(since);
  expect(held.length).toBeGreaterThanOrEqual(2); // given up on and tried again, more than once
  for (const r of held.filter((h) => h.closedAt !== undefined)) expect(r.closedAt! - r.at).toBeLessThan(timings.headersTimeoutMs + 500);
  expect(held.filter((h) => h.closedAt === undefined).length).toBeLessThanOrEqual(1); // only the latest may still wait
  expect(c.freshness().connectedAt).toBeUndefined();
  expect(c.isStale()).toBe(true);
  expect(c.get('made-while-hung')).toEqual([]);
  proxy.holdWatchHeaders = false;
  await sees(c, 'made-while-hung');
  expect(c.isStale()).toBe(false);
});

scenario('an ERROR 410 Gone relists at once and the relist shows what changed meanwhile', async () => {
  const slow = { baseMs: 3_000, capMs: 3_000 }; // any backoff would show as a wait of 1.5 s or more
  const c = await syncedCache(slow);
  proxy.stallStreams();
  await createConfigMap('made-before-gone');
  await sleep(200);
  expect(c.get('made-before-gone')).toEqual([]);
  const since = Date.now();
  proxy.inject({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' } });
  await sees(c, 'made-before-gone', 2_000);
  expect(c.stats.gone).toBe(1);
  expect(c.stats.lists).toBe(2);
  expect(c.stats.failures).toBe(0); // a 410 is not backed off from
  expect(proxy.listsSince(since)[0].at - since).toBeLessThan(slow.baseMs / 2); // at once: under the smallest backoff
});

scenario("the API server's own 410 Gone, for a resourceVersion it no longer has, relists", async () => {
  const c = await syncedCache();
  proxy.expireWatches = true;
  proxy.drop();
  await eventually(() => Promise.resolve(c.stats.gone >= 1 || undefined), 'the API server to answer 410 Gone', 5_000);
  proxy.expireWatches = false;
  await createConfigMap('made-after-real-gone');
  await sees(c, 'made-after-real-gone');
  expect(c.stats.lists).toBeGreaterThanOrEqual(2);
});

scenario('a watch refused with HTTP 410 relists too', async () => {
  const c = await syncedCache();
  proxy.watchAnswer = { status: 410, lines: [{ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' }] };
  proxy.drop();
  await eventually(() => Promise.resolve(c.stats.gone >= 1 || undefined), 'a 410 to be seen', 5_000);
  proxy.watchAnswer = undefined;
  await createConfigMap('made-after-gone');
  await sees(c, 'made-after-gone');
  expect(c.stats.lists).toBeGreaterThanOrEqual(2);
});

scenario('other ERROR events back off, capped, instead of watching again at once', async () => {
  const c = await syncedCache();
  proxy.watchAnswer = { status: 200, lines: [{ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'InternalError', code: 500, message: 'etcd is sulking' } }] };
  const since = Date.now();
  proxy.drop();
  await sleep(4_000);
  const attempts = proxy.watchesSince(since);
  // Without backoff this would be hundreds; with 100 ms doubling to a 1 s cap, jittered, about 6 to 9.
  expect(attempts.length).toBeGreaterThanOrEqual(4);
  expect(attempts.length).toBeLessThanOrEqual(10);
  const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
  expect(Math.max(...gaps.slice(-2))).toBeGreaterThanOrEqual(timings.backoff.capMs / 2);
  expect(c.isStale()).toBe(true);
  proxy.watchAnswer = undefined;
  await createConfigMap('made-after-errors');
  await sees(c, 'made-after-errors', 5_000);
  expect(c.stats.lists).toBe(1); // an error is not a reason to relist
});

scenario('a deleted object stays readable as it was last seen, for keepDepartedMs and no longer', async () => {
  const c = await syncedCache(timings.backoff, 1_500);
  await createConfigMap('goes-first');
  await sees(c, 'goes-first');
  await clients().core.deleteNamespacedConfigMap({ name: 'goes-first', namespace: testNamespace() });
  await eventually(() => Promise.resolve(c.departed('goes-first').length > 0 || undefined), 'the cache to hear of the deletion', 5_000);
  expect(c.get('goes-first')).toEqual([]);
  expect(c.departed('goes-first').map((m) => m.metadata?.name)).toEqual(['goes-first']);
  await sleep(2_000);
  // Forgotten once older than the limit: the next deletion prunes it.
  await createConfigMap('goes-later');
  await sees(c, 'goes-later');
  await clients().core.deleteNamespacedConfigMap({ name: 'goes-later', namespace: testNamespace() });
  await eventually(() => Promise.resolve(c.departed('goes-later').length > 0 || undefined), 'the cache to hear of the second deletion', 5_000);
  expect(c.departed('goes-first')).toEqual([]);
});
