// Retries are for infrastructure, never for a real failure. A validator that ends `other` (stuck,
// evicted, deleted, node lost, timed out, could not run, or an exit code of 3 or more) may run
// again as a new Job, up to its `retries`; `failed` and `skipped` are the validator's answer and
// are never retried, and neither is what the run itself caused (cancellation, its deadline). The
// earlier attempts stay in the result; one that passes after a retry is flaky. Pure: the run
// workflow decides with it. See docs/decisions/retries.md.
import { reasons } from './reasons';
import type { Status, ValidatorResult } from './result';

/** The most retries a validator may ask for: each is a whole new Job with its own timeout. */
export const maxRetries = 3;

/** An earlier attempt, kept small: its message cut to this many characters. */
export const maxAttemptMessageChars = 512;

export interface Attempt {
  attempt: number;
  status: Status;
  exitCode: number;
  reason?: string;
  message: string;
  durationMs: number;
  startedAt?: string;
  finishedAt?: string;
  node?: string;
  jobName?: string;
}

const causedByTheRun: readonly string[] = [reasons.cancelled, reasons.runDeadline];

/** Whether this outcome may be retried (if the validator has retries left). */
export const retryable = (r: Pick<ValidatorResult, 'status' | 'reason'>): boolean => r.status === 'other' && !causedByTheRun.includes(r.reason ?? '');

/** What the report keeps of an attempt that was retried. */
export function attemptOf(r: ValidatorResult, attempt: number): Attempt {
  const message = r.message.length > maxAttemptMessageChars ? `${r.message.slice(0, maxAttemptMessageChars)}...` : r.message;
  const kept: Attempt = { attempt, status: r.status, exitCode: r.exitCode, message, durationMs: r.durationMs };
  for (const k of ['reason', 'startedAt', 'finishedAt', 'node', 'jobName'] as const) if (r[k] !== undefined) kept[k] = r[k];
  return kept;
}

/** The last attempt's result, carrying the attempts before it (none: the result unchanged). */
export const withAttempts = (last: ValidatorResult, earlier: ValidatorResult[]): ValidatorResult => (earlier.length ? { ...last, attempts: earlier.map((r, i) => attemptOf(r, i + 1)) } : last);

/** Passed only after a retry. */
export const isFlaky = (r: Pick<ValidatorResult, 'status' | 'attempts'>): boolean => r.status === 'passed' && (r.attempts?.length ?? 0) > 0;
