// Pods that are never created: the Job controller reports each refusal (a ResourceQuota, an
// admission webhook, Pod Security, a missing ServiceAccount) only as a FailedCreate Event on the
// Job. Reading them costs a request, so it happens only when observeJob asks for it (a Job with no
// pod past a few seconds), and then once per recheck time: the usual case costs nothing.
import type { CoreV1Event, V1Job } from '@kubernetes/client-node';
import type { Clients } from '../k8s/client';
import { k8sCall } from '../k8s/errors';
import { afterPodCreationCheck, type FailedCreate, type Observation, type Thresholds } from '../core/observe';
import { reasons } from '../core/reasons';

export interface JobIdentity {
  namespace: string;
  name: string;
  uid: string;
}

const time = (t: Date | string | undefined) => (t === undefined ? undefined : new Date(t).getTime());
/** When an event first and last happened: legacy events carry first/lastTimestamp, events.k8s.io ones eventTime or a series. */
const firstAt = (e: CoreV1Event) => time(e.firstTimestamp) ?? time(e.eventTime) ?? time(e.metadata?.creationTimestamp) ?? 0;
const lastAt = (e: CoreV1Event) => time(e.series?.lastObservedTime) ?? time(e.lastTimestamp) ?? firstAt(e);

/** The Job's FailedCreate events in one list request (field selectors the API server indexes), or undefined when there are none. */
export async function findFailedCreate(c: Clients, job: JobIdentity): Promise<FailedCreate | undefined> {
  const list = await k8sCall(`listing the ${reasons.podNotCreated} events of Job ${job.name} in namespace ${job.namespace}`, () =>
    c.core.listNamespacedEvent({ namespace: job.namespace, fieldSelector: `involvedObject.uid=${job.uid},reason=${reasons.podNotCreated}` }),
  );
  if (list.items.length === 0) return undefined;
  const newest = list.items.reduce((a, b) => (lastAt(b) > lastAt(a) ? b : a));
  return { message: newest.message ?? reasons.podNotCreated, firstAt: Math.min(...list.items.map(firstAt)) };
}

/**
 * One await's pod-creation checks: turns observeJob's `checkPodCreation` hint into at most one
 * request per recheck time. A failing request never fails the wait: the validator's timeout still
 * bounds it, and the next check tries again.
 */
export class PodCreationCheck {
  private nextCheckAt = 0;

  constructor(
    private readonly c: Clients,
    private readonly thresholds: Thresholds,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** `seen` unchanged unless it asks for a check: then stuck (FailedCreate) or pending with when to look again. */
  async refine(job: V1Job | undefined, seen: Observation, now: number): Promise<Observation> {
    const { namespace, name, uid } = job?.metadata ?? {};
    if (seen.state !== 'pending' || !seen.checkPodCreation || !namespace || !name || !uid) return seen;
    if (now < this.nextCheckAt) return { state: 'pending', recheckAt: this.nextCheckAt };
    let next: Observation;
    try {
      next = afterPodCreationCheck(await findFailedCreate(this.c, { namespace, name, uid }), now, this.thresholds);
    } catch (err) {
      this.warn(`cannot read why Job ${name} has no pod: ${err instanceof Error ? err.message : String(err)}`);
      next = afterPodCreationCheck(undefined, now, this.thresholds);
    }
    if (next.state === 'pending') this.nextCheckAt = next.recheckAt ?? 0;
    return next;
  }
}
