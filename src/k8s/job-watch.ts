// The worker's view of Verdict's Jobs and pods, one shared watch pair per namespace: waiting on
// a thousand validators costs two watch connections per namespace, not a thousand. A namespace's
// watches close once no activity has used them for a while, so a long-lived worker that has seen
// many namespaces holds watches only on those in use.
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { managedBySelector } from '../core/labels';
import type { Clients } from './client';
import { WatchCache, type WatchTimings } from './watch-cache';

export interface NamespaceWatch {
  jobs: WatchCache<V1Job>;
  pods: WatchCache<V1Pod>;
}

const jobNameLabel = 'batch.kubernetes.io/job-name';
/** How long a caller waits for a namespace's first lists by default: well within an activity's heartbeat timeout. */
const defaultSyncTimeoutMs = 20_000;
const jobOfPod = (p: V1Pod) => p.metadata?.labels?.[jobNameLabel] ?? p.metadata?.labels?.['job-name'];

export class JobWatches {
  private readonly namespaces = new Map<string, NamespaceWatch>();
  private readonly users = new Map<string, number>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly clients: Clients,
    private readonly watchSeconds?: number,
    /** How long a namespace's watches stay open with nobody using them. */
    private readonly idleMs = 120_000,
    /** Timeouts, silence and backoff of the watches, and how long a caller waits for their first lists (tests shorten them). */
    private readonly timings: Partial<WatchTimings> & { syncTimeoutMs?: number } = {},
  ) {}

  /** Runs `fn` with the namespace's shared watches (started and synced on first use). */
  async use<T>(namespace: string, fn: (w: NamespaceWatch) => Promise<T>): Promise<T> {
    clearTimeout(this.idleTimers.get(namespace));
    this.users.set(namespace, (this.users.get(namespace) ?? 0) + 1);
    try {
      return await fn(await this.forNamespace(namespace));
    } finally {
      const left = this.users.get(namespace)! - 1;
      this.users.set(namespace, left);
      if (left === 0) this.idleTimers.set(namespace, setTimeout(() => this.close(namespace), this.idleMs).unref());
    }
  }

  private async forNamespace(namespace: string): Promise<NamespaceWatch> {
    let w = this.namespaces.get(namespace);
    if (!w) {
      const { config } = this.clients;
      const common = { labelSelector: managedBySelector, watchSeconds: this.watchSeconds, timings: this.timings };
      w = {
        jobs: new WatchCache<V1Job>(config, { ...common, path: `/apis/batch/v1/namespaces/${namespace}/jobs` }).start(),
        pods: new WatchCache<V1Pod>(config, { ...common, path: `/api/v1/namespaces/${namespace}/pods`, keyOf: jobOfPod }).start(),
      };
      this.namespaces.set(namespace, w);
    }
    // The caches keep trying on their own; a caller gives up in time to fail its attempt with a
    // reason (retryably) rather than by missing heartbeats.
    const syncTimeoutMs = this.timings.syncTimeoutMs ?? defaultSyncTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      const why = () => w.jobs.lastError ?? w.pods.lastError ?? 'the Kubernetes API does not answer';
      timer = setTimeout(() => reject(new Error(`the watches of Jobs and pods in namespace ${namespace} have not listed within ${syncTimeoutMs / 1000} s: ${why()}`)), syncTimeoutMs);
    });
    try {
      await Promise.race([Promise.all([w.jobs.synced, w.pods.synced]), late]);
    } finally {
      clearTimeout(timer);
    }
    return w;
  }

  /** True when either watch of the namespace may be behind the server (see WatchCache.isStale). */
  static isStale(w: NamespaceWatch, now = Date.now()): boolean {
    return w.jobs.isStale(now) || w.pods.isStale(now);
  }

  /** The label selector of a Job's pods, to read them from the API rather than the cache. */
  static podSelector(jobName: string): string {
    return `${managedBySelector},${jobNameLabel}=${jobName}`;
  }

  /** Resolves on the next change to the Job or its pods, or after `ms`. */
  static nextChange(w: NamespaceWatch, jobName: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        offJob();
        offPods();
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      const offJob = w.jobs.onChange(jobName, done);
      const offPods = w.pods.onChange(jobName, done);
    });
  }

  /** Requests and failures of every open watch, summed (see WatchCache.stats), and how many are open. */
  stats(): { lists: number; watches: number; gone: number; failures: number; open: number } {
    const sum = { lists: 0, watches: 0, gone: 0, failures: 0 };
    for (const w of this.namespaces.values()) {
      for (const c of [w.jobs, w.pods]) for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += c.stats[k];
    }
    return { ...sum, open: this.namespaces.size * 2 };
  }

  stop(): void {
    for (const namespace of [...this.namespaces.keys()]) this.close(namespace);
  }

  private close(namespace: string): void {
    const w = this.namespaces.get(namespace);
    w?.jobs.stop();
    w?.pods.stop();
    clearTimeout(this.idleTimers.get(namespace));
    for (const m of [this.namespaces, this.users, this.idleTimers]) m.delete(namespace);
  }
}
