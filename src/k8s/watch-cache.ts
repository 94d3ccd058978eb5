// A list-then-watch cache of one kind of object in one namespace, shared by every activity in the
// worker that waits on those objects. It never trusts one connection: it watches again from the
// last resourceVersion when the server ends a watch, lists again at once on 410 Gone, backs off
// (capped, with jitter) after any other error, abandons a watch whose headers never come or that
// has gone silent (bookmarks arrive regularly on a healthy one), and says whether its view is
// current (`isStale`), so that nobody mistakes a cache that lost the server for a quiet object.
import { createInterface } from 'node:readline';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { ApiStatusError, childOf, getJson, openGet } from './api-get';
import { backoffMs, defaultBackoff, type Backoff } from './backoff';
import { isStale, type Freshness } from './freshness';

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface WatchTimings {
  /** A watch (or list) whose response headers take longer is abandoned. */
  headersTimeoutMs: number;
  /** A whole list request is abandoned after this long. */
  listTimeoutMs: number;
  /** An open watch that says nothing for this long (no event, no bookmark) is abandoned. */
  silenceMs: number;
  /** Between watches for longer than this, the cache counts as stale. */
  reconnectMs: number;
  backoff: Backoff;
}

export interface WatchCacheOptions<T> {
  /** API path of the collection, e.g. /apis/batch/v1/namespaces/ns/jobs. */
  path: string;
  labelSelector: string;
  /** The server ends each watch after this long; we then watch again. */
  watchSeconds?: number;
  /** Groups objects for lookups and change listeners (default: the object's name). */
  keyOf?: (obj: T) => string | undefined;
  timings?: Partial<WatchTimings>;
  /** How long the last state of a deleted object stays readable through `departed` (default 10 minutes). */
  keepDepartedMs?: number;
}

/**
 * The API server sends a bookmark on an open watch at least once a minute and ends it after
 * `watchSeconds`, so a watch quiet for longer than both (plus slack) is dead.
 */
export function defaultTimings(watchSeconds: number): WatchTimings {
  return { headersTimeoutMs: 10_000, listTimeoutMs: 60_000, silenceMs: (Math.min(watchSeconds, 60) + 30) * 1000, reconnectMs: 3_000, backoff: defaultBackoff };
}

/** Why a watch ended: the server closed it in order, or said 410 Gone (our resourceVersion is too old). */
type WatchEnd = 'closed' | 'gone';

interface WatchEvent<T> {
  type: string;
  object: T & { code?: number; message?: string };
}

/** An ERROR event other than 410: the server's Status, as an error to back off from. */
class WatchErrorEvent extends Error {
  constructor(readonly code: number | undefined, message: string) {
    super(message);
  }
}

/** Waits `ms`, or less if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export class WatchCache<T extends KubernetesObject> {
  private readonly items = new Map<string, T>();
  private readonly byKey = new Map<string, Map<string, T>>();
  private readonly listeners = new Map<string, Set<() => void>>();
  /** The last state of objects the server said were deleted, oldest first: a pod's end outlives the pod. */
  private readonly gone = new Map<string, { key: string | undefined; obj: T; at: number }>();
  private resourceVersion: string | undefined;
  private readonly stopping = new AbortController();
  private readonly timings: WatchTimings;
  private readonly watchSeconds: number;
  private readonly fresh: Freshness = { synced: false, connectedAt: undefined, lastHeardAt: 0 };
  private markSynced!: () => void;
  /** Resolves once the first list has filled the cache. */
  readonly synced = new Promise<void>((r) => (this.markSynced = r));
  /**
   * Requests made and how they ended, for tests and benchmarks: lists and watches started, watches
   * that ended on 410 Gone, and failures (errors, ERROR events, timeouts) that were backed off from.
   */
  readonly stats = { lists: 0, watches: 0, gone: 0, failures: 0 };
  /** The last failure's message, to say why a cache is stale or unsynced. */
  lastError: string | undefined;

  constructor(
    private readonly config: KubeConfig,
    private readonly opts: WatchCacheOptions<T>,
  ) {
    this.watchSeconds = opts.watchSeconds ?? 300;
    this.timings = { ...defaultTimings(this.watchSeconds), ...opts.timings };
  }

  start(): this {
    void this.run();
    return this;
  }

  stop(): void {
    this.stopping.abort();
  }

  /** The objects filed under `key` (by default, the one named `key`). */
  get(key: string): T[] {
    return [...(this.byKey.get(key)?.values() ?? [])];
  }

  /**
   * The last state of objects under `key` that were deleted in the last `keepDepartedMs`, as the
   * DELETED event carried them: a pod that Kubernetes removed (an eviction, its Job controller
   * letting go) still tells how it ended.
   */
  departed(key: string): T[] {
    return [...this.gone.values()].filter((d) => d.key === key).map((d) => d.obj);
  }

  get size(): number {
    return this.items.size;
  }

  /** Whether the cache is listed, watching, and when it last heard from the server. */
  freshness(): Freshness {
    return { ...this.fresh };
  }

  /** True when the cache's view may be out of date: never trust a stale cache to say nothing happened. */
  isStale(now = Date.now()): boolean {
    return isStale(this.fresh, now, this.timings);
  }

  /** Calls `listener` after each change to objects under `key`; returns the unsubscribe function. */
  onChange(key: string, listener: () => void): () => void {
    const set = this.listeners.get(key) ?? new Set();
    set.add(listener);
    this.listeners.set(key, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  private keyOf(obj: T): string | undefined {
    return this.opts.keyOf ? this.opts.keyOf(obj) : obj.metadata?.name;
  }

  private put(obj: T): void {
    const name = obj.metadata!.name!;
    this.remove(name);
    this.items.set(name, obj);
    const key = this.keyOf(obj);
    if (key === undefined) return;
    const group = this.byKey.get(key) ?? new Map<string, T>();
    group.set(name, obj);
    this.byKey.set(key, group);
    this.notify(key);
  }

  private remove(name: string): void {
    const old = this.items.get(name);
    if (!old) return;
    this.items.delete(name);
    const key = this.keyOf(old);
    if (key === undefined) return;
    this.byKey.get(key)?.delete(name);
    if (this.byKey.get(key)?.size === 0) this.byKey.delete(key);
    this.notify(key);
  }

  /** Keeps a deleted object's last state, and forgets those kept longer than `keepDepartedMs`. */
  private remember(obj: T): void {
    const now = Date.now();
    const keepMs = this.opts.keepDepartedMs ?? 600_000;
    for (const [name, d] of this.gone) {
      if (now - d.at <= keepMs) break;
      this.gone.delete(name);
    }
    const name = obj.metadata!.name!;
    this.gone.delete(name);
    this.gone.set(name, { key: this.keyOf(obj), obj, at: now });
  }

  private notify(key?: string): void {
    const sets = key === undefined ? [...this.listeners.values()] : [this.listeners.get(key) ?? new Set<() => void>()];
    for (const set of sets) for (const l of [...set]) l();
  }

  private heard(): void {
    this.fresh.lastHeardAt = Date.now();
  }

  /**
   * Lists, then watches, forever. A 410 relists at once, but a second 410 in a row backs off like
   * any failure; a watch that ends soon without telling us anything counts as a failure too, so
   * nothing (a proxy closing every stream at once, say) can make this loop spin.
   */
  private async run(): Promise<void> {
    let failures = 0;
    let goneInARow = 0;
    while (!this.stopping.signal.aborted) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        const started = Date.now();
        const { end, events } = await this.watchOnce();
        if (end === 'gone') {
          this.stats.gone++;
          this.resourceVersion = undefined;
          failures = ++goneInARow > 1 ? failures + 1 : 0;
        } else {
          goneInARow = 0;
          const healthy = events > 0 || Date.now() - started >= (this.watchSeconds * 1000) / 2;
          failures = healthy ? 0 : failures + 1;
        }
      } catch (err) {
        // Unreachable, refused, timed out, an ERROR event: keep the cache, back off, try again.
        if (this.stopping.signal.aborted) return;
        this.lastError = err instanceof Error ? err.message : String(err);
        this.stats.failures++;
        failures++;
      }
      await sleep(backoffMs(failures, this.timings.backoff), this.stopping.signal);
    }
  }

  private async relist(): Promise<void> {
    this.stats.lists++;
    const list = await getJson<ListResult<T>>(this.config, this.opts.path, { labelSelector: this.opts.labelSelector }, this.stopping.signal, this.timings.listTimeoutMs);
    this.items.clear();
    this.byKey.clear();
    for (const item of list.items) this.put(item);
    this.resourceVersion = list.metadata?.resourceVersion;
    this.heard();
    this.fresh.synced = true;
    this.markSynced();
    this.notify();
  }

  /** One watch connection, until the server ends it; rejects on any error, silence or timeout. */
  private async watchOnce(): Promise<{ end: WatchEnd; events: number }> {
    const { controller: abort, release } = childOf(this.stopping.signal);
    let silence: NodeJS.Timeout | undefined;
    const resetSilence = () => {
      clearTimeout(silence);
      silence = setTimeout(() => abort.abort(new Error(`the watch of ${this.opts.path} was silent for ${this.timings.silenceMs} ms`)), this.timings.silenceMs);
    };
    this.stats.watches++;
    const query = { watch: true, resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: this.watchSeconds, labelSelector: this.opts.labelSelector };
    let events = 0;
    try {
      const res = await openGet(this.config, this.opts.path, query, abort.signal, this.timings.headersTimeoutMs);
      this.fresh.connectedAt = Date.now();
      // A cut shows as an incomplete response (checked below), also after we stop reading.
      const lines = createInterface({ input: res, crlfDelay: Infinity });
      for (const emitter of [res, lines]) emitter.on('error', () => undefined);
      resetSilence();
      for await (const line of lines) {
        if (!line.trim()) continue;
        events++;
        resetSilence();
        if (this.apply(JSON.parse(line) as WatchEvent<T>) === 'gone') return { end: 'gone', events };
        this.heard();
      }
      // readline ends quietly when the response is cut off mid-stream: only a complete one is an orderly end.
      if (!res.complete) throw new Error(`the watch of ${this.opts.path} was cut off`);
      this.heard();
      return { end: 'closed', events };
    } catch (err) {
      if (err instanceof ApiStatusError && err.statusCode === 410) return { end: 'gone', events };
      throw err;
    } finally {
      clearTimeout(silence);
      this.fresh.connectedAt = undefined;
      abort.abort();
      release();
    }
  }

  /** Applies one event; says 'gone' on 410, throws on any other ERROR. */
  private apply(event: WatchEvent<T>): 'gone' | undefined {
    const { type, object } = event;
    if (type === 'ERROR') {
      if (object.code === 410) return 'gone';
      throw new WatchErrorEvent(object.code, `the watch of ${this.opts.path} sent an error: ${object.message ?? object.code}`);
    }
    this.resourceVersion = object.metadata?.resourceVersion ?? this.resourceVersion;
    if (type === 'BOOKMARK') return undefined;
    if (type === 'DELETED') {
      this.remember(object);
      this.remove(object.metadata!.name!);
    } else this.put(object);
    return undefined;
  }
}
