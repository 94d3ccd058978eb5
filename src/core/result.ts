// A validator's outcome, and how an exit code or a Kubernetes condition maps to a status.
import type { Attempt } from './retries';
import type { Phase } from './spec';

export type Status = 'passed' | 'failed' | 'skipped' | 'other';

export interface SubTest {
  name: string;
  status: Status;
  durationMs: number;
  output?: string[];
}

export interface ValidatorResult {
  name: string;
  phase: Phase;
  status: Status;
  /** The container's exit code; -1 when it never exited (stuck, timed out, cancelled, deleted). */
  exitCode: number;
  /** Why, in Kubernetes' or Verdict's words: OOMKilled, DeadlineExceeded, Unschedulable, Timeout, Cancelled... The most specific cause. */
  reason?: string;
  /** The pod's own reason (Evicted, DeadlineExceeded...), kept even where another cause is `reason`. */
  podReason?: string;
  /** The Job's own failure reason (DeadlineExceeded...), when it says more than "its one pod failed". */
  jobReason?: string;
  message: string;
  stdout: string[];
  stdoutTruncated?: boolean;
  startedAt?: string;
  finishedAt?: string;
  durationMs: number;
  node?: string;
  jobName?: string;
  tests?: SubTest[];
  /** Sub-tests not kept (the report's budget or the log digest's limits), counted. */
  testsOmitted?: number;
  /** The attempts before this one, when an `other` outcome was retried (src/core/retries.ts). */
  attempts?: Attempt[];
}

/** 0 passed, 1 failed, 2 skipped, anything else (including -1, never exited) other. */
export function statusForExitCode(code: number): Status {
  switch (code) {
    case 0:
      return 'passed';
    case 1:
      return 'failed';
    case 2:
      return 'skipped';
    default:
      return 'other';
  }
}
