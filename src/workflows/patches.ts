// Workflow behaviour changes, each behind a Temporal patch: a run that started before a change
// replays on the code it started with, and runs started after it take the new path. Recorded
// histories of each old path replay in CI (test/integration/replay.test.ts).
// See docs/decisions/workflow-versioning.md.
import * as wf from '@temporalio/workflow';

export const patches = {
  /**
   * 2026-11: a run's objects are keyed by workflow ID and execution (SHA-256), carry the execution,
   * and are checked for ownership; child workflow IDs are `<run>/<validator>`; the pod, not the Job,
   * holds the timeout backstop.
   */
  identity: 'run-identity-2026-11',
  /**
   * 2026-11: setup activities and a validator's deploy finish before cancellation acts (nothing is
   * created after cleanup); cleanup, report storage and result reading failures are recorded in the
   * report instead of replacing it; a validator's Job is deleted whatever happened.
   */
  edges: 'result-edges-2026-11',
  /**
   * 2026-12: before anything is created, the worker's policy (checkRunPolicy) judges the suite; a
   * suite that asks for more fails the run non-retryably with every violation, and the report
   * records the policy in `results.extra.policy`. See docs/decisions/run-policy.md.
   */
  policy: 'run-policy-2026-12',
  /**
   * 2026-12: a run carries its cluster to every activity and validator (a header, see
   * src/workflows/interceptors.ts), so a worker of another cluster refuses them; a run whose
   * policy check fails ends with the status attribute `failed`. See docs/decisions/cluster-identity.md.
   */
  cluster: 'cluster-identity-2026-12',
  /**
   * 2026-12: a run that ends with a report compares itself with its suite's history on its cluster
   * (compareWithHistory: the report's baseline and insights), sends it its summary
   * (recordRunHistory), and reads who started and cancelled it (runOrigin, in the report's extra);
   * none is cancellable, and a failure of any is named in the report's problems.
   * See docs/decisions/suite-history.md.
   */
  runEnd: 'run-end-2026-12',
} as const;

/** Whether this execution takes the path introduced by `patch`. */
export const takes = (patch: keyof typeof patches): boolean => wf.patched(patches[patch]);
