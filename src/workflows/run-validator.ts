// One validator's life, as its own child workflow (its own history in the Web UI):
// deploy its Job -> await it (bounded by a workflow timer) -> extract the result -> delete the Job.
// Cancellation at any point still extracts what exists and deletes the Job, and so does any failure.
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AwaitOutcome } from '../core/classify';
import { parseDuration } from '../core/duration';
import type { JobContext } from '../core/job';
import { jobName, secretEnvName, type RunIdentity } from '../core/names';
import type { ValidatorResult } from '../core/result';
import { capResult } from '../core/report-budget';
import { couldNotRun, rootMessage, withNote } from '../core/run';
import { hasSecretEnv } from '../core/secrets';
import type { StuckThresholds, ValidatorSpec } from '../core/spec';
import type { JobRef } from '../activities/jobs';
import { apiCall, watching } from './activity-options';
import { takes } from './patches';

export interface ValidatorRunInput {
  spec: ValidatorSpec;
  runId: string;
  /** The run's execution (its first Temporal run ID): part of its objects' identity. Absent for runs started before 2026-11. */
  execution?: string;
  namespace: string;
  serviceAccount: string;
  inputs?: JobContext['inputs'];
  thresholds: StuckThresholds;
  keepResources: boolean;
  /** Cap on this validator's stdout: its share of the report's budget. */
  stdoutBytes: number;
  /** The most this validator's whole result may weigh, as JSON: its share of the report's budget. */
  resultBytes?: number;
  /** Which attempt this is, from 2 on for a retry of an `other` outcome (src/core/retries.ts): its own Job. */
  attempt?: number;
  /** Past the validator's timeout, how long the workflow gives the await activity (default 30 s; tests shorten it). */
  timerSlackMs?: number;
}

const api = wf.proxyActivities<Activities>(apiCall);
const watch = wf.proxyActivities<Activities>(watching);

const defaultTimerSlackMs = 30_000;

export async function runValidator(input: ValidatorRunInput): Promise<ValidatorResult> {
  const { spec } = input;
  const edges = takes('edges');
  const owner: RunIdentity = { runId: input.runId, execution: input.execution };
  const ctx: JobContext = { ...owner, namespace: input.namespace, jobName: jobName(owner, spec.name, input.attempt), serviceAccount: input.serviceAccount, inputs: input.inputs };
  // The run's ensureInputs created this Secret; the Job only references it.
  if (hasSecretEnv(spec.env)) ctx.secret = secretEnvName(owner);
  const ref = { namespace: ctx.namespace, jobName: ctx.jobName };
  let outcome: AwaitOutcome = { outcome: 'cancelled' };
  try {
    wf.setCurrentDetails(`deploying Job ${ref.jobName}`);
    const deploy = () => api.deployJob.executeWithOptions({ summary: `deploy Job ${ref.jobName}` }, [{ spec, ctx }]);
    // A deploy that cancellation interrupted could still create the Job after it was deleted: let it finish.
    await (edges ? wf.CancellationScope.nonCancellable(deploy) : deploy());
    if (edges && wf.CancellationScope.current().consideredCancelled) throw new wf.CancelledFailure('cancelled while deploying');
    wf.setCurrentDetails(`running: Job ${ref.jobName}, timeout ${spec.timeout}`);
    outcome = await awaitJob(input, ref);
  } catch (err) {
    if (!wf.isCancellation(err)) throw err;
  }
  return await wf.CancellationScope.nonCancellable(() => (edges ? finish(input, ref, outcome, owner) : legacyFinish(input, ref, outcome)));
}

/** Reads the result and deletes the Job; neither failing loses what is known, and the Job is always deleted. */
async function finish(input: ValidatorRunInput, ref: JobRef, outcome: AwaitOutcome, owner: RunIdentity): Promise<ValidatorResult> {
  const { spec } = input;
  wf.setCurrentDetails(`${outcome.outcome}: reading the result`);
  let result: ValidatorResult;
  try {
    result = await api.extractResult.executeWithOptions({ summary: `read result (${outcome.outcome})` }, [{ ...ref, spec, outcome, stdoutBytes: input.stdoutBytes }]);
  } catch (err) {
    result = couldNotRun(spec, `its result could not be read: ${rootMessage(err)}`, ref.jobName);
  }
  if (!input.keepResources) {
    wf.setCurrentDetails(`${result.status}: deleting Job ${ref.jobName}`);
    try {
      const deleted = await watch.deleteJob.executeWithOptions({ summary: `delete Job ${ref.jobName}`, startToCloseTimeout: '3m' }, [{ ...ref, owner }]);
      if (deleted.left) result = withNote(result, deleted.left);
    } catch (err) {
      result = withNote(result, `its Job ${ref.jobName} could not be deleted (verdict gc removes it once the run is closed): ${rootMessage(err)}`);
    }
  }
  wf.setCurrentDetails(`${result.status}${result.reason ? ` (${result.reason})` : ''}`);
  return input.resultBytes ? capResult(result, input.resultBytes) : result;
}

/** As runs started before 2026-11 did it: a failed read or delete fails the validator's workflow. */
async function legacyFinish(input: ValidatorRunInput, ref: JobRef, outcome: AwaitOutcome): Promise<ValidatorResult> {
  wf.setCurrentDetails(`${outcome.outcome}: reading the result`);
  const summary = `read result (${outcome.outcome})`;
  const result = await api.extractResult.executeWithOptions({ summary }, [{ ...ref, spec: input.spec, outcome, stdoutBytes: input.stdoutBytes }]);
  if (!input.keepResources) {
    wf.setCurrentDetails(`${result.status}: deleting Job ${ref.jobName}`);
    await watch.deleteJob.executeWithOptions({ summary: `delete Job ${ref.jobName}`, startToCloseTimeout: '3m' }, [ref]);
  }
  wf.setCurrentDetails(`${result.status}${result.reason ? ` (${result.reason})` : ''}`);
  return result;
}

/** The await activity, raced against a workflow timer: a lost activity cannot outlive the timeout. */
async function awaitJob(input: ValidatorRunInput, ref: JobRef): Promise<AwaitOutcome> {
  const timeoutMs = parseDuration(input.spec.timeout)! * 1000;
  const slackMs = input.timerSlackMs ?? defaultTimerSlackMs;
  const scope = new wf.CancellationScope();
  const waiting = scope.run(() =>
    watch.awaitJob.executeWithOptions(
      { summary: `await Job ${ref.jobName}`, startToCloseTimeout: timeoutMs + 2 * slackMs },
      [{ ...ref, thresholds: input.thresholds, deadline: Date.now() + timeoutMs }],
    ),
  );
  const timer = scope.run(() => wf.sleep(timeoutMs + slackMs).then((): AwaitOutcome => ({ outcome: 'timeout' })));
  try {
    return await Promise.race([waiting, timer]);
  } finally {
    scope.cancel();
    // The loser rejects with a cancellation: mark it handled.
    void Promise.allSettled([waiting, timer]);
  }
}
