// Activities under test: real Kubernetes calls, run in Temporal's activity context (heartbeats,
// cancellation) without a worker.
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { JobWatches } from '../../src/k8s/job-watch';
import { jobName, type RunIdentity } from '../../src/core/names';
import { validatorSchema, type ValidatorInput } from '../../src/core/spec';
import type { JobContext } from '../../src/core/job';
import { clients } from './k8s';

export function activityKit(opts: { watchSeconds?: number; idleMs?: number } = {}) {
  const watches = new JobWatches(clients(), opts.watchSeconds, opts.idleMs);
  return { acts: createActivities(clients(), watches), watches };
}

/** Runs an activity function in a fresh activity context. */
export function inActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return new MockActivityEnvironment().run(fn, ...args);
}

/** A validator that the sandbox simulates per its annotations (see README). */
export function simulated(name: string, sandbox: Record<string, string>, extra: Partial<ValidatorInput> = {}) {
  const podAnnotations = Object.fromEntries(Object.entries(sandbox).map(([k, v]) => [`sandbox.verdict.dev/${k}`, v]));
  return validatorSchema.parse({ name, phase: 'deployment', image: 'example.com/check:1', podAnnotations, ...extra });
}

export function jobContext(run: string | RunIdentity, namespace: string, validator: string, serviceAccount = 'default'): JobContext {
  const identity = typeof run === 'string' ? { runId: run } : run;
  return { ...identity, namespace, jobName: jobName(identity, validator), serviceAccount };
}
