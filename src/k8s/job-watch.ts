// The worker's view of Verdict's Jobs and pods, one shared watch pair per namespace: waiting on
// a thousand validators costs two watch connections per namespace, not a thousand.
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

  constructor(
    private readonly clients: Clients,
    private readonly watchSeconds?: number,
  ) {}

  /** The shared watches for `namespace`, started on first use and synced. */
  async forNamespace(namespace: string): Promise<NamespaceWatch> {
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
    for (const w of this.namespaces.values()) {
      w.jobs.stop();
      w.pods.stop();
    }
    this.namespaces.clear();
  }
}
