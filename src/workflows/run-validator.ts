// One validator's life, as its own child workflow (its own history in the Web UI):
// deploy its Job -> await it (bounded by a workflow timer) -> extract the result -> delete the Job.
// Cancellation at any point still extracts what exists and deletes the Job.
import * as wf from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AwaitOutcome } from '../core/classify';
import { parseDuration } from '../core/duration';
import type { JobContext } from '../core/job';
import { jobName, secretEnvName } from '../core/names';
import type { ValidatorResult } from '../core/result';
import { hasSecretEnv } from '../core/secrets';
import type { StuckThresholds, ValidatorSpec } from '../core/spec';
import { apiCall, watching } from './activity-options';

export interface ValidatorRunInput {
  spec: ValidatorSpec;
  runId: string;
  namespace: string;
  serviceAccount: string;
  inputs?: JobContext['inputs'];
  thresholds: StuckThresholds;
  keepResources: boolean;
  /** This validator's share of the report's stdout budget. */
  stdoutBytes: number;
}

const api = wf.proxyActivities<Activities>(apiCall);
const watch = wf.proxyActivities<Activities>(watching);

/** Past the validator's timeout, how long the workflow gives the await activity to report it. */
const timerSlackMs = 30_000;

export async function runValidator(input: ValidatorRunInput): Promise<ValidatorResult> {
  const { spec } = input;
  const ctx: JobContext = { runId: input.runId, namespace: input.namespace, jobName: jobName(input.runId, spec.name), serviceAccount: input.serviceAccount, inputs: input.inputs };
  // The run's ensureInputs created this Secret; the Job only references it.
  if (hasSecretEnv(spec.env)) ctx.secret = secretEnvName(input.runId);
  const ref = { namespace: ctx.namespace, jobName: ctx.jobName };
  let outcome: AwaitOutcome = { outcome: 'cancelled' };
  try {
    wf.setCurrentDetails(`deploying Job ${ref.jobName}`);
    await api.deployJob.executeWithOptions({ summary: `deploy Job ${ref.jobName}` }, [{ spec, ctx }]);
    wf.setCurrentDetails(`running: Job ${ref.jobName}, timeout ${spec.timeout}`);
    outcome = await awaitJob(input, ref);
  } catch (err) {
    if (!wf.isCancellation(err)) throw err;
  }
  return await wf.CancellationScope.nonCancellable(async () => {
    wf.setCurrentDetails(`${outcome.outcome}: reading the result`);
    const summary = `read result (${outcome.outcome})`;
    const result = await api.extractResult.executeWithOptions({ summary }, [{ ...ref, spec, outcome, stdoutBytes: input.stdoutBytes }]);
    if (!input.keepResources) {
      wf.setCurrentDetails(`${result.status}: deleting Job ${ref.jobName}`);
      await watch.deleteJob.executeWithOptions({ summary: `delete Job ${ref.jobName}`, startToCloseTimeout: '3m' }, [ref]);
    }
    wf.setCurrentDetails(`${result.status}${result.reason ? ` (${result.reason})` : ''}`);
    return result;
  });
}

/** The await activity, raced against a workflow timer: a lost activity cannot outlive the timeout. */
async function awaitJob(input: ValidatorRunInput, ref: { namespace: string; jobName: string }): Promise<AwaitOutcome> {
  const timeoutMs = parseDuration(input.spec.timeout)! * 1000;
  const scope = new wf.CancellationScope();
  const waiting = scope.run(() =>
    watch.awaitJob.executeWithOptions(
      { summary: `await Job ${ref.jobName}`, startToCloseTimeout: timeoutMs + 2 * timerSlackMs },
      [{ ...ref, thresholds: input.thresholds, deadline: Date.now() + timeoutMs }],
    ),
  );
  const timer = scope.run(() => wf.sleep(timeoutMs + timerSlackMs).then((): AwaitOutcome => ({ outcome: 'timeout' })));
  try {
    return await Promise.race([waiting, timer]);
  } finally {
    scope.cancel();
    // The loser rejects with a cancellation: mark it handled.
    void Promise.allSettled([waiting, timer]);
  }
}
