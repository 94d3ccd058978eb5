// A validator's result from what was observed: how the wait ended, its pod, and its stdout.
// Exit codes decide when the container exited; otherwise the reason does (status `other`).
import type { V1Pod } from '@kubernetes/client-node';
import { missingTests, parseGoTestJson } from './gotest';
import { containerName } from './job';
import { statusForExitCode, type ValidatorResult } from './result';
import type { ValidatorSpec } from './spec';
import { capStdout, defaultStdoutLimits, type StdoutLimits } from './stdout';

/** How waiting for the Job ended. */
export type AwaitOutcome =
  | { outcome: 'succeeded' | 'deleted' | 'timeout' | 'cancelled' }
  | { outcome: 'failed' | 'stuck'; reason: string; message: string };

export const maxMessageBytes = 4096;

const iso = (t: Date | string | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

function whyNotExited(o: AwaitOutcome, v: Pick<ValidatorSpec, 'timeout'>): { reason: string; message: string } {
  switch (o.outcome) {
    case 'timeout':
      return { reason: 'Timeout', message: `timeout: the validator did not complete within ${v.timeout}` };
    case 'cancelled':
      return { reason: 'Cancelled', message: 'cancelled: the run was cancelled before the validator finished' };
    case 'deleted':
      return { reason: 'Deleted', message: 'the Job was deleted before the validator finished' };
    case 'failed':
    case 'stuck':
      return { reason: o.reason, message: o.message };
    case 'succeeded':
      return { reason: 'NoPod', message: 'the Job completed but its pod was gone before its result could be read' };
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
  stdout: string,
  limits: StdoutLimits = defaultStdoutLimits,
): ValidatorResult {
  const status = pod?.status?.containerStatuses?.find((c) => c.name === containerName) ?? pod?.status?.containerStatuses?.[0];
  const terminated = status?.state?.terminated;
  const { lines, truncated } = capStdout(stdout, limits);
  const base = { name: v.name, phase: v.phase, jobName, node: pod?.spec?.nodeName, stdout: lines, ...(truncated ? { stdoutTruncated: true } : {}) };
  const tests = parseGoTestJson(stdout === '' ? [] : stdout.split('\n'));
  const withTests = tests.length > 0 ? { tests } : {};

  if (terminated && outcome.outcome !== 'timeout' && outcome.outcome !== 'cancelled') {
    const startedAt = iso(terminated.startedAt);
    const finishedAt = iso(terminated.finishedAt);
    const reason = terminated.reason && !['Completed', 'Error'].includes(terminated.reason) ? terminated.reason : undefined;
    const result: ValidatorResult = {
      ...base,
      ...withTests,
      status: statusForExitCode(terminated.exitCode),
      exitCode: terminated.exitCode,
      ...(reason ? { reason } : {}),
      message: cutMessage(terminated.message ?? (reason === 'OOMKilled' ? 'the container ran out of memory (OOMKilled)' : '')),
      startedAt,
      finishedAt,
      durationMs: startedAt && finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : 0,
    };
    return checkExpectedTests(result, v.expectedTests);
  }

  const { reason, message } = whyNotExited(outcome, v);
  const waiting = status?.state?.waiting;
  const startedAt = iso(status?.state?.running?.startedAt ?? pod?.status?.startTime);
  return {
    ...base,
    ...withTests,
    status: 'other',
    exitCode: -1,
    reason,
    message: cutMessage(waiting && outcome.outcome !== 'stuck' ? `${message} (container waiting: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''})` : message),
    startedAt,
    durationMs: 0,
  };
}

/** A passing validator that did not report every expected test has failed. */
function checkExpectedTests(result: ValidatorResult, expected: string[] | undefined): ValidatorResult {
  const missing = missingTests(result.tests ?? [], expected ?? []);
  if (missing.length === 0 || result.status !== 'passed') return result;
  return { ...result, status: 'failed', reason: 'MissingTests', message: cutMessage(`expected tests did not report: ${missing.join(', ')}`) };
}

function cutMessage(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return bytes.length <= maxMessageBytes ? text : `${new TextDecoder().decode(bytes.slice(0, maxMessageBytes))}... [truncated]`;
}
