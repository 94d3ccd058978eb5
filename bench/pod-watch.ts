// The bench's own watch on the bench's pods: when each pod's terminal status was written (as seen
// by a watcher a few milliseconds later), keyed by its Job. Detection latency is measured from it.
import { Watch, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { validatorStatus } from '../src/core/pod-status';
import { benchRunLabel } from './identity';

export class PodTerminalTimes {
  readonly times = new Map<string, number>();
  /** When the validator container's terminated state was first seen: on a real kubelet, before the phase. */
  readonly exits = new Map<string, number>();
  private abort: AbortController | undefined;
  private stopped = false;
  private resourceVersion: string | undefined;

  constructor(
    private readonly config: KubeConfig,
    private readonly benchId: string,
  ) {}

  async start(): Promise<void> {
    this.abort = await new Watch(this.config).watch(
      '/api/v1/pods',
      { labelSelector: `${benchRunLabel}=${this.benchId}`, allowWatchBookmarks: true, ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}) },
      (type: string, pod: V1Pod) => this.onEvent(type, pod),
      () => {
        if (!this.stopped) void this.start().catch(() => setTimeout(() => void this.start(), 1000));
      },
    );
  }

  private onEvent(type: string, pod: V1Pod): void {
    const at = Date.now();
    this.resourceVersion = pod.metadata?.resourceVersion ?? this.resourceVersion;
    if (type === 'ERROR' || type === 'BOOKMARK') return;
    const job = pod.metadata?.labels?.['job-name'];
    if (!job || this.times.has(job)) return;
    if (!this.exits.has(job) && validatorStatus(pod)?.state?.terminated) this.exits.set(job, at);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') this.times.set(job, at);
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }
}
