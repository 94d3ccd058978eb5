// A validator's outcome, and how an exit code or a Kubernetes condition maps to a status.
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
  /** Why, in Kubernetes' or Verdict's words: OOMKilled, DeadlineExceeded, Unschedulable, Timeout, Cancelled... */
  reason?: string;
  message: string;
  stdout: string[];
  stdoutTruncated?: boolean;
  startedAt?: string;
  finishedAt?: string;
  durationMs: number;
  node?: string;
  jobName?: string;
  tests?: SubTest[];
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
