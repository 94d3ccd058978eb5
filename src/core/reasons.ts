// Every reason Verdict itself puts on a validator's result, in one table, each with what it means.
// Kubernetes' own reasons (OOMKilled, DeadlineExceeded, Evicted, ErrImagePull, Unschedulable...)
// pass through as Kubernetes wrote them; these are the ones Verdict adds.
export const reasons = {
  /** The validator did not finish within its `timeout`; Verdict stopped waiting and deleted its Job. */
  timeout: 'Timeout',
  /** The run was cancelled before the validator finished. */
  cancelled: 'Cancelled',
  /** The suite's `deadline` for the whole run passed before the validator finished (or started). */
  runDeadline: 'RunDeadlineExceeded',
  /** The validator's Job was deleted by someone else before it finished. */
  deleted: 'Deleted',
  /** The Job completed but its pod was gone before its result could be read. */
  noPod: 'NoPod',
  /** The validator passed but did not report every test named in `expectedTests`. */
  missingTests: 'MissingTests',
  /** Skipped: an earlier phase failed and the suite has `failFast`. */
  phaseFailed: 'PhaseFailed',
  /** The pod ended Failed without a reason of its own. */
  podFailed: 'PodFailed',
  /** Verdict could not run the validator (its Job could not be deployed, read or deleted); the message says why. */
  couldNotRun: 'CouldNotRun',
  /** The Job controller could not create the validator's pod (quota, admission, Pod Security...). */
  podNotCreated: 'FailedCreate',
  /** An init container exited non-zero, so the validator never ran; the message names it and its exit code. */
  initContainerFailed: 'InitContainerFailed',
} as const;

export type Reason = (typeof reasons)[keyof typeof reasons];

/** Terminated reasons that only restate the exit code: the exit code says it better. */
export const plainExitReasons: readonly string[] = ['Completed', 'Error'];

/** Job failure reasons that only restate that its one pod failed (backoffLimit is 0): the pod says it better. */
export const plainJobReasons: readonly string[] = ['BackoffLimitExceeded'];
