// What a validator's Job is doing, from the Job and its pods: one pure function, so the watch
// loop that feeds it stays simple and every case is unit-tested.
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { parseDuration } from './duration';
import type { StuckThresholds } from './spec';

export type Observation =
  | { state: 'deleted' }
  | { state: 'pending' | 'running'; /** When a waiting pod will have been stuck too long (ms epoch). */ recheckAt?: number }
  | { state: 'succeeded' }
  | { state: 'failed'; reason: string; message: string }
  | { state: 'stuck'; reason: string; message: string };

const stuckWaitingReasons: Record<string, keyof StuckThresholds> = {
  ErrImagePull: 'imagePull',
  ImagePullBackOff: 'imagePull',
  InvalidImageName: 'imagePull',
  CreateContainerConfigError: 'containerConfig',
  CreateContainerError: 'containerConfig',
};

const trueCondition = (job: V1Job, type: string) => job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
const time = (t: Date | string | undefined) => (t === undefined ? undefined : new Date(t).getTime());

/** Where a pod is blocked, and since when. */
function blocked(pod: V1Pod): { reason: string; message: string; kind: keyof StuckThresholds; since?: number } | undefined {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return { reason: 'Unschedulable', message: scheduled.message ?? 'no node fits the pod', kind: 'unschedulable', since: time(scheduled.lastTransitionTime) ?? time(pod.metadata?.creationTimestamp) };
  }
  for (const status of pod.status?.containerStatuses ?? []) {
    const waiting = status.state?.waiting;
    const kind = waiting?.reason ? stuckWaitingReasons[waiting.reason] : undefined;
    if (waiting?.reason && kind) {
      return { reason: waiting.reason, message: waiting.message ?? waiting.reason, kind, since: time(scheduled?.lastTransitionTime) ?? time(pod.status?.startTime) };
    }
  }
  return undefined;
}

export function observeJob(job: V1Job | undefined, pods: V1Pod[], now: number, thresholds: StuckThresholds): Observation {
  if (!job || job.metadata?.deletionTimestamp) return { state: 'deleted' };
  if (trueCondition(job, 'Complete') || trueCondition(job, 'SuccessCriteriaMet')) return { state: 'succeeded' };
  const failed = trueCondition(job, 'Failed') ?? trueCondition(job, 'FailureTarget');
  if (failed) return { state: 'failed', reason: failed.reason ?? 'Failed', message: failed.message ?? '' };

  // backoffLimit 0 and restartPolicy Never: the pod's end decides the Job. Reading it here saves
  // the wait (up to a second) for the Job controller to write its condition.
  const ended = pods.find((p) => (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') && !p.metadata?.deletionTimestamp);
  if (ended?.status?.phase === 'Succeeded') return { state: 'succeeded' };
  if (ended) return { state: 'failed', reason: ended.status?.reason ?? 'PodFailed', message: ended.status?.message ?? 'the pod failed' };

  let recheckAt: number | undefined;
  for (const pod of pods) {
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
