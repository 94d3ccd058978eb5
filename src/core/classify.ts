// A validator's result from what was observed: how the wait ended, its pod, and its stdout.
// Exit codes decide when the validator container exited by itself; otherwise the reason does
// (status `other`). The pod's and the Job's own reasons are kept beside the deciding one.
import type { V1Pod } from '@kubernetes/client-node';
import { parseDuration } from './duration';
import { digestLog, type LogDigestResult } from './log-digest';
import type { Observation } from './observe';
import { podFailure } from './observe';
import { validatorStatus } from './pod-status';
import { plainExitReasons, plainJobReasons, reasons } from './reasons';
import { statusForExitCode, type ValidatorResult } from './result';
import type { ValidatorSpec } from './spec';
import { defaultStdoutLimits, type StdoutLimits } from './stdout';

/** How waiting for the Job ended. */
export type AwaitOutcome =
  | { outcome: 'succeeded' | 'deleted' | 'timeout' | 'cancelled' }
  | { outcome: 'failed' | 'stuck'; reason: string; message: string; /** The Job's own failure reason, when its condition decided. */ jobReason?: string };

/** The outcome an observation ends the wait with, or undefined while the Job is still pending or running. */
export function outcomeOf(seen: Observation): AwaitOutcome | undefined {
  switch (seen.state) {
    case 'succeeded':
    case 'deleted':
      return { outcome: seen.state };
    case 'failed':
      return { outcome: 'failed', reason: seen.reason, message: seen.message, ...(seen.jobReason ? { jobReason: seen.jobReason } : {}) };
    case 'stuck':
      return { outcome: 'stuck', reason: seen.reason, message: seen.message };
    default:
      return undefined;
  }
}

export const maxMessageBytes = 4096;

const iso = (t: Date | string | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

function whyNotExited(o: AwaitOutcome, v: Pick<ValidatorSpec, 'timeout'>, pod: V1Pod | undefined, causes: OwnReasons): { reason: string; message: string } {
  switch (o.outcome) {
    case 'timeout':
      return { reason: reasons.timeout, message: `timeout: the validator did not complete within ${v.timeout}` };
    case 'cancelled':
      return { reason: reasons.cancelled, message: 'cancelled: the run was cancelled before the validator finished' };
    case 'deleted':
      return { reason: reasons.deleted, message: 'the Job was deleted before the validator finished' };
    case 'failed':
      return stoppedFromOutside(v, pod, o, causes) ?? (pod?.status?.phase === 'Failed' ? podFailure(pod) : { reason: o.reason, message: o.message });
    case 'stuck':
      return { reason: o.reason, message: o.message };
    case 'succeeded':
      return { reason: reasons.noPod, message: 'the Job completed but its pod was gone before its result could be read' };
  }
}

/** The newest pod: with backoffLimit 0 there is one, but a retried Job may leave more. */
export function latestPod(pods: V1Pod[]): V1Pod | undefined {
  return [...pods].sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? ''))).at(-1);
}

export function buildResult(
  v: Pick<ValidatorSpec, 'name' | 'phase' | 'timeout' | 'expectedTests'>,
  jobName: string,
  outcome: AwaitOutcome,
  pod: V1Pod | undefined,
  /** The validator's log as read (digested on the way), or its text (tests). */
  log: LogDigestResult | string,
  limits: StdoutLimits = defaultStdoutLimits,
): ValidatorResult {
  const status = validatorStatus(pod);
  const terminated = status?.state?.terminated;
  const digest = typeof log === 'string' ? digestLog(log, { stdout: limits, expectedTests: v.expectedTests }) : log;
  const causes = ownReasons(outcome, pod);
  const base = { name: v.name, phase: v.phase, jobName, node: pod?.spec?.nodeName, stdout: digest.stdout, ...(digest.stdoutTruncated ? { stdoutTruncated: true } : {}), ...causes };
  const withTests = digest.tests.length > 0 ? { tests: digest.tests, ...(digest.testsOmitted > 0 ? { testsOmitted: digest.testsOmitted } : {}) } : {};

  if (terminated && (exitsDecide(outcome) || (finishedInTime(terminated, v) && !causes.podReason && !causes.jobReason))) {
    const startedAt = iso(terminated.startedAt);
    const finishedAt = iso(terminated.finishedAt);
    const times = { startedAt, finishedAt, durationMs: startedAt && finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : 0 };
    const containerReason = terminated.reason && !plainExitReasons.includes(terminated.reason) ? terminated.reason : undefined;
    const stopped = stoppedFromOutside(v, pod, outcome, causes);
    if (stopped) {
      // Killed by Kubernetes (a deadline, an eviction): the exit code is the kill's, not a verdict.
      const message = containerReason ? `${stopped.message} (container: ${containerReason})` : stopped.message;
      return { ...base, ...withTests, status: 'other', exitCode: terminated.exitCode, reason: stopped.reason, message: cutMessage(message), ...times };
    }
    const result: ValidatorResult = {
      ...base,
      ...withTests,
      status: statusForExitCode(terminated.exitCode),
      exitCode: terminated.exitCode,
      ...(containerReason ? { reason: containerReason } : {}),
      message: cutMessage(ownMessage(terminated.message, containerReason, digest.stdout)),
      ...times,
    };
    return checkExpectedTests(result, digest.missingTests);
  }

  const { reason, message } = whyNotExited(outcome, v, pod, causes);
  const waiting = status?.state?.waiting;
  const startedAt = iso(status?.state?.running?.startedAt ?? pod?.status?.startTime);
  return {
    ...base,
    ...withTests,
    status: 'other',
    exitCode: -1,
    reason,
    message: cutMessage(waiting && !waitingSaysNothingMore(outcome, reason) ? `${message} (container waiting: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''})` : message),
    startedAt,
    durationMs: 0,
  };
}

/** A stuck container's wait is the reason itself; one held back by a failed init container only waits for it (PodInitializing). */
const waitingSaysNothingMore = (o: AwaitOutcome, reason: string) => o.outcome === 'stuck' || reason === reasons.initContainerFailed;

const oomMessage = 'the container ran out of memory (OOMKilled)';

/**
 * The validator's own message. With FallbackToLogsOnError the kubelet fills an unwritten message
 * with the log's tail, cut anywhere: that copy is trimmed to whole lines, and an OOM kill's last
 * log lines say less than the kill itself.
 */
export function ownMessage(message: string | undefined, containerReason: string | undefined, stdout: string[]): string {
  const written = message ?? '';
  const fromLog = fallbackFromLog(written, stdout);
  if (containerReason === 'OOMKilled' && (written === '' || fromLog !== undefined)) return oomMessage;
  return fromLog ?? written;
}

/** The message as whole log lines, when it is the log's tail; otherwise undefined. */
function fallbackFromLog(message: string, stdout: string[]): string | undefined {
  const tail = message.replace(/\s+$/, '');
  const log = stdout.join('\n');
  if (tail === '' || !log.endsWith(tail)) return undefined;
  const start = log.length - tail.length;
  return start === 0 || log[start - 1] === '\n' ? tail : tail.slice(tail.indexOf('\n') + 1);
}

const exitsDecide = (o: AwaitOutcome) => o.outcome !== 'timeout' && o.outcome !== 'cancelled';

/**
 * A container that ended by itself (no pod or Job reason says Kubernetes stopped it) within its timeout has a real result even when Verdict's timer
 * fired first: the worker (or Temporal) was down while it finished, and the pod kept its status.
 */
function finishedInTime(t: { startedAt?: Date | string; finishedAt?: Date | string }, v: Pick<ValidatorSpec, 'timeout'>): boolean {
  const limit = parseDuration(v.timeout);
  if (!t.startedAt || !t.finishedAt || limit === undefined) return false;
  return Date.parse(String(iso(t.finishedAt))) - Date.parse(String(iso(t.startedAt))) <= limit * 1000;
}

type OwnReasons = Pick<ValidatorResult, 'podReason' | 'jobReason'>;

/** The pod's and the Job's own reasons, kept whatever decides the result. */
function ownReasons(outcome: AwaitOutcome, pod: V1Pod | undefined): OwnReasons {
  const jobReason = 'jobReason' in outcome && outcome.jobReason && !plainJobReasons.includes(outcome.jobReason) ? outcome.jobReason : undefined;
  const podReason = podStop(pod)?.reason;
  return { ...(podReason ? { podReason } : {}), ...(jobReason ? { jobReason } : {}) };
}

/**
 * Why Kubernetes stopped the pod: its own reason (Evicted, DeadlineExceeded...), else its
 * DisruptionTarget condition, all that an eviction through the API (EvictionByEvictionAPI) or a
 * lost node (DeletionByTaintManager) leaves on it; the container's exit is then the kill's.
 */
function podStop(pod: V1Pod | undefined): { reason: string; message: string } | undefined {
  if (pod?.status?.reason) return { reason: pod.status.reason, message: pod.status.message ?? pod.status.reason };
  const disruption = pod?.status?.conditions?.find((c) => c.type === 'DisruptionTarget' && c.status === 'True');
  return disruption?.reason ? { reason: disruption.reason, message: disruption.message || disruption.reason } : undefined;
}

/**
 * A pod or Job reason means Kubernetes ended the validator (a deadline, an eviction, a node
 * shutdown...), not the validator itself. The pod's reason is the more specific of the two.
 */
function stoppedFromOutside(v: Pick<ValidatorSpec, 'timeout'>, pod: V1Pod | undefined, outcome: AwaitOutcome, causes: OwnReasons): { reason: string; message: string } | undefined {
  const reason = causes.podReason ?? causes.jobReason;
  if (!reason) return undefined;
  const said = causes.podReason ? (podStop(pod)?.message ?? reason) : ('message' in outcome && outcome.message) || reason;
  if (reason === 'DeadlineExceeded') return { reason, message: `timeout: the validator did not complete within ${v.timeout}; Kubernetes' deadline stopped it (${said})` };
  return { reason, message: said };
}

/** A passing validator that did not report every expected test (anywhere in its whole log) has failed. */
function checkExpectedTests(result: ValidatorResult, missing: string[]): ValidatorResult {
  if (missing.length === 0 || result.status !== 'passed') return result;
  return { ...result, status: 'failed', reason: reasons.missingTests, message: cutMessage(`expected tests did not report: ${missing.join(', ')}`) };
}

function cutMessage(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return bytes.length <= maxMessageBytes ? text : `${new TextDecoder().decode(bytes.slice(0, maxMessageBytes))}... [truncated]`;
}
