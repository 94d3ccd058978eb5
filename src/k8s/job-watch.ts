// The worker's view of Verdict's Jobs and pods, one shared watch pair per namespace: waiting on
// a thousand validators costs two watch connections per namespace, not a thousand. A namespace's
// watches close once no activity has used them for a while, so a long-lived worker that has seen
// many namespaces holds watches only on those in use.
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { managedBySelector } from '../core/labels';
import type { Clients } from './client';
import { WatchCache } from './watch-cache';

export interface NamespaceWatch {
  jobs: WatchCache<V1Job>;
  pods: WatchCache<V1Pod>;
}

const jobOfPod = (p: V1Pod) => p.metadata?.labels?.['batch.kubernetes.io/job-name'] ?? p.metadata?.labels?.['job-name'];

export class JobWatches {
  private readonly namespaces = new Map<string, NamespaceWatch>();
  private readonly users = new Map<string, number>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly clients: Clients,
    private readonly watchSeconds?: number,
    /** How long a namespace's watches stay open with nobody using them. */
    private readonly idleMs = 120_000,
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
      const { config, batch, core } = this.clients;
      const common = { labelSelector: managedBySelector, watchSeconds: this.watchSeconds };
      w = {
        jobs: new WatchCache<V1Job>(config, { ...common, path: `/apis/batch/v1/namespaces/${namespace}/jobs`, list: (o) => batch.listNamespacedJob({ namespace, ...o }) }).start(),
        pods: new WatchCache<V1Pod>(config, { ...common, path: `/api/v1/namespaces/${namespace}/pods`, list: (o) => core.listNamespacedPod({ namespace, ...o }), keyOf: jobOfPod }).start(),
      };
      this.namespaces.set(namespace, w);
    }
    await Promise.all([w.jobs.synced, w.pods.synced]);
    return w;
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

  stats(): { lists: number; watches: number; open: number } {
    let lists = 0;
    let watches = 0;
    for (const w of this.namespaces.values()) {
      for (const c of [w.jobs, w.pods]) {
        lists += c.stats.lists;
        watches += c.stats.watches;
      }
    }
    return { lists, watches, open: this.namespaces.size * 2 };
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
