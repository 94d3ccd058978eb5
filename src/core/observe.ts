// What a validator's Job is doing, from the Job and its pods: one pure function, so the watch
// loop that feeds it stays simple and every case is unit-tested. The validator container's own
// state decides; init containers only while they hold it back; other containers never.
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { parseDuration } from './duration';
import { blockingStatuses, failedInitContainer, validatorStatus } from './pod-status';
import { reasons } from './reasons';
import type { StuckThresholds } from './spec';

export type Observation =
  | { state: 'deleted' }
  | {
      state: 'pending' | 'running';
      /** When a waiting pod will have been stuck too long, or the next pod-creation check is due (ms epoch). */
      recheckAt?: number;
      /** The Job has had no pod for a while: ask once for its FailedCreate events (see activities/pod-creation.ts). */
      checkPodCreation?: true;
    }
  | { state: 'succeeded' }
  | { state: 'failed'; reason: string; message: string; /** The Job's own failure reason, when its condition decided. */ jobReason?: string }
  | { state: 'stuck'; reason: string; message: string };

/** Thresholds, with the pod-creation one proposed for `stuckAfter` (optional until the suite schema has it). */
export type Thresholds = StuckThresholds & { podCreation?: string };

/** A Job's pod normally exists within a second; past this without one, its events are worth one request. */
export const podCreationCheckAfterMs = 3_000;
/** With no pod and no FailedCreate event yet (a slow controller), how often to ask again. */
export const podCreationRecheckMs = 15_000;
/** How long pods may keep being refused before the validator is given up on, unless `stuckAfter.podCreation` says. */
export const defaultPodCreationThreshold = '30s';

const stuckWaitingReasons: Record<string, keyof StuckThresholds> = {
  ErrImagePull: 'imagePull',
  ImagePullBackOff: 'imagePull',
  InvalidImageName: 'imagePull',
  CreateContainerConfigError: 'containerConfig',
  CreateContainerError: 'containerConfig',
};

const disrupted = (p: V1Pod) => p.metadata?.deletionTimestamp !== undefined && p.status?.conditions?.some((c) => c.type === 'DisruptionTarget' && c.status === 'True') === true;
const trueCondition = (job: V1Job, type: string) => job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
const time = (t: Date | string | undefined) => (t === undefined ? undefined : new Date(t).getTime());

/** Where a pod is blocked, and since when. */
function blocked(pod: V1Pod): { reason: string; message: string; kind: keyof StuckThresholds; since?: number } | undefined {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return { reason: 'Unschedulable', message: scheduled.message ?? 'no node fits the pod', kind: 'unschedulable', since: time(scheduled.lastTransitionTime) ?? time(pod.metadata?.creationTimestamp) };
  }
  for (const { status, init } of blockingStatuses(pod)) {
    const waiting = status.state?.waiting;
    const kind = waiting?.reason ? stuckWaitingReasons[waiting.reason] : undefined;
    if (waiting?.reason && kind) {
      const message = waiting.message ?? waiting.reason;
      return { reason: waiting.reason, message: init ? `init container "${status.name}": ${message}` : message, kind, since: time(scheduled?.lastTransitionTime) ?? time(pod.status?.startTime) };
    }
  }
  return undefined;
}

/** How a pod that ended Failed failed: its own reason (Evicted, DeadlineExceeded...), a failed init container, or just failed. */
export function podFailure(pod: V1Pod): { reason: string; message: string } {
  if (pod.status?.reason) return { reason: pod.status.reason, message: pod.status.message ?? pod.status.reason };
  return failedInitContainer(pod) ?? { reason: reasons.podFailed, message: pod.status?.message ?? 'the pod failed' };
}

/** A pod's end as the validator sees it: the pod's phase, or its own container's exit while a sidecar runs on. */
function ended(pod: V1Pod): Observation | undefined {
  if (pod.status?.phase === 'Succeeded') return { state: 'succeeded' };
  if (pod.status?.phase === 'Failed') return { state: 'failed', ...podFailure(pod) };
  const exited = validatorStatus(pod)?.state?.terminated;
  if (exited) return exited.exitCode === 0 ? { state: 'succeeded' } : { state: 'failed', reason: exited.reason ?? 'Error', message: `the validator exited with code ${exited.exitCode}` };
  const init = failedInitContainer(pod);
  return init ? { state: 'failed', ...init } : undefined;
}

export function observeJob(job: V1Job | undefined, pods: V1Pod[], now: number, thresholds: Thresholds): Observation {
  if (!job || job.metadata?.deletionTimestamp) return { state: 'deleted' };
  if (trueCondition(job, 'Complete') || trueCondition(job, 'SuccessCriteriaMet')) return { state: 'succeeded' };
  const failed = trueCondition(job, 'Failed') ?? trueCondition(job, 'FailureTarget');
  if (failed) return { state: 'failed', reason: failed.reason ?? 'Failed', message: failed.message ?? '', ...(failed.reason ? { jobReason: failed.reason } : {}) };

  // backoffLimit 0 and restartPolicy Never: the pod's end decides the Job. Reading it here saves
  // the wait (up to a second) for the Job controller to write its condition. A pod being deleted
  // (the Job's deadline killing it) is not the validator's own end, unless Kubernetes marked it
  // for disruption (an eviction, a lost node): then its end is known once its container stopped,
  // and read at once, before the Job controller lets the pod, and its log, go.
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  for (const pod of [...live, ...pods.filter(disrupted)]) {
    const end = ended(pod);
    if (end) return end;
  }
  if (pods.length === 0) return noPodYet(job, now);

  let recheckAt: number | undefined;
  for (const pod of live) {
    const b = blocked(pod);
    if (!b) continue;
    const limitMs = parseDuration(thresholds[b.kind])! * 1000;
    const since = b.since ?? now;
    if (now - since >= limitMs) return { state: 'stuck', reason: b.reason, message: b.message };
    recheckAt = Math.min(recheckAt ?? Infinity, since + limitMs);
  }
  const running = pods.some((p) => p.status?.phase === 'Running');
  return recheckAt === undefined ? { state: running ? 'running' : 'pending' } : { state: running ? 'running' : 'pending', recheckAt };
}

/** No pod yet: normal for a moment; past that, the Job controller may be refused (quota, admission...). */
function noPodYet(job: V1Job, now: number): Observation {
  const checkAt = (time(job.metadata?.creationTimestamp) ?? now) + podCreationCheckAfterMs;
  return now < checkAt ? { state: 'pending', recheckAt: checkAt } : { state: 'pending', checkPodCreation: true };
}

/** The Job controller's refusals to create the pod, as its FailedCreate events tell them. */
export interface FailedCreate {
  /** The newest event's message: the API server's own words (`Error creating: pods "..." is forbidden: ...`). */
  message: string;
  /** When the first refusal happened (ms epoch). */
  firstAt: number;
}

/**
 * After a pod-creation check: stuck once the pod has been refused for `podCreation` (the Job
 * controller retries with backoff, and a quota may free up meanwhile); otherwise when to check again.
 */
export function afterPodCreationCheck(failed: FailedCreate | undefined, now: number, thresholds: Thresholds): Observation {
  if (!failed) return { state: 'pending', recheckAt: now + podCreationRecheckMs };
  const limitMs = parseDuration(thresholds.podCreation ?? defaultPodCreationThreshold)! * 1000;
  if (now - failed.firstAt >= limitMs) return { state: 'stuck', reason: reasons.podNotCreated, message: failed.message };
  return { state: 'pending', recheckAt: failed.firstAt + limitMs };
}
