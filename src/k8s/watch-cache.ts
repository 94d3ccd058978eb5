// A list-then-watch cache of one kind of object in one namespace, shared by every activity in the
// worker that waits on those objects. It never trusts one connection: it watches again from the
// last resourceVersion when the server closes the watch, lists again on 410 Gone, and abandons a
// watch that has gone silent (bookmarks arrive regularly on a healthy one).
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface WatchCacheOptions<T> {
  /** API path of the collection, e.g. /apis/batch/v1/namespaces/ns/jobs. */
  path: string;
  labelSelector: string;
  list: (opts: { labelSelector: string }) => Promise<ListResult<T>>;
  /** The server ends each watch after this long; we then watch again. */
  watchSeconds?: number;
  /** Groups objects for lookups and change listeners (default: the object's name). */
  keyOf?: (obj: T) => string | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class WatchCache<T extends KubernetesObject> {
  private readonly items = new Map<string, T>();
  private readonly byKey = new Map<string, Map<string, T>>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private resourceVersion: string | undefined;
  private abort: AbortController | undefined;
  private stopped = false;
  private markSynced!: () => void;
  /** Resolves once the first list has filled the cache. */
  readonly synced = new Promise<void>((r) => (this.markSynced = r));
  /** Requests made, by kind: for tests and benchmarks. */
  readonly stats = { lists: 0, watches: 0 };

  constructor(
    private readonly config: KubeConfig,
    private readonly opts: WatchCacheOptions<T>,
  ) {}

  start(): this {
    void this.run();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  /** The objects filed under `key` (by default, the one named `key`). */
  get(key: string): T[] {
    return [...(this.byKey.get(key)?.values() ?? [])];
  }

  get size(): number {
    return this.items.size;
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

  private notify(key?: string): void {
    const sets = key === undefined ? [...this.listeners.values()] : [this.listeners.get(key) ?? new Set<() => void>()];
    for (const set of sets) for (const l of [...set]) l();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        const outcome = await this.watchOnce();
        if (outcome === 'gone') this.resourceVersion = undefined;
        failures = 0;
      } catch {
        // The API server is unreachable or refused: back off, keep the cache, try again.
        failures++;
        await sleep(Math.min(200 * 2 ** failures, 5_000));
      }
    }
  }

  private async relist(): Promise<void> {
    this.stats.lists++;
    const list = await this.opts.list({ labelSelector: this.opts.labelSelector });
    this.items.clear();
    this.byKey.clear();
    for (const item of list.items) this.put(item);
    this.resourceVersion = list.metadata?.resourceVersion;
    this.markSynced();
    this.notify();
  }

  /** One watch connection, until the server closes it ('closed') or says 410 Gone ('gone'). */
  private watchOnce(): Promise<'closed' | 'gone'> {
    const watchSeconds = this.opts.watchSeconds ?? 300;
    return new Promise((resolve, reject) => {
      let gone = false;
      let silence: NodeJS.Timeout | undefined;
      const resetSilence = () => {
        clearTimeout(silence);
        silence = setTimeout(() => this.abort?.abort(), (watchSeconds + 30) * 1000);
      };
      const onEvent = (type: string, obj: T & { code?: number }) => {
        resetSilence();
        if (type === 'ERROR') {
          gone = obj.code === 410;
          this.abort?.abort();
          return;
        }
        this.resourceVersion = obj.metadata?.resourceVersion ?? this.resourceVersion;
        if (type === 'BOOKMARK') return;
        if (type === 'DELETED') this.remove(obj.metadata!.name!);
        else this.put(obj);
      };
      const onDone = (err: unknown) => {
        clearTimeout(silence);
        const status = (err as { statusCode?: number } | null)?.statusCode;
        if (status === 410) gone = true;
        if (err && !gone && !(err instanceof Error && err.name === 'AbortError')) reject(err instanceof Error ? err : new Error(JSON.stringify(err)));
        else resolve(gone ? 'gone' : 'closed');
      };
      this.stats.watches++;
      resetSilence();
      new Watch(this.config)
        .watch(this.opts.path, { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: watchSeconds, labelSelector: this.opts.labelSelector }, onEvent, onDone)
        .then((abort) => {
          this.abort = abort;
          if (this.stopped) abort.abort();
        })
        .catch(reject);
    });
  }
}
