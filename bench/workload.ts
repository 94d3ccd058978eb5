// The same workload for both sides: N simulated validators (every tenth fails with exit 1), as a
// Verdict suite and as the very Jobs Verdict would create, rendered by src/core/job.ts.
import type { V1Job } from '@kubernetes/client-node';
import { buildJob } from '../src/core/job';
import { jobName } from '../src/core/names';
import { suiteSchema, type SuiteInput } from '../src/core/spec';
import { imageRef, nodeImages, realNodeLabel, realNodeTaint } from '../src/sandbox/node-layout';
import { benchRunLabel } from './identity';

export const benchTaint = 'verdict.dev/bench';

export interface Workload {
  suite: SuiteInput;
  namespace: string;
  /** What each validator must end as. */
  expected: Map<string, 'passed' | 'failed'>;
}

/** On the sandbox's real node: a shell script in the validator-base image that sleeps, prints and exits. */
function realValidator(name: string, fails: boolean, durationSeconds: number) {
  return {
    image: imageRef(nodeImages.validatorBase),
    command: ['sh', '-c', `sleep ${durationSeconds}; echo checking ${name}; echo ${fails ? 'not ok' : 'ok'}; exit ${fails ? 1 : 0}`],
    nodeSelector: { [realNodeLabel.key]: realNodeLabel.value },
    tolerations: [{ key: realNodeTaint.key, operator: 'Equal' as const, value: realNodeTaint.value, effect: realNodeTaint.effect }],
  };
}

export function workload(opts: { benchId: string; namespace: string; validators: number; concurrency: number; durationSeconds: number; prefix?: string; real?: boolean }): Workload {
  const expected = new Map<string, 'passed' | 'failed'>();
  const validators = Array.from({ length: opts.validators }, (_, i) => {
    const name = `${opts.prefix ?? 'v'}${i}`;
    const fails = i % 10 === 0;
    expected.set(name, fails ? 'failed' : 'passed');
    if (opts.real) return { name, phase: 'deployment' as const, podLabels: { [benchRunLabel]: opts.benchId }, ...realValidator(name, fails, opts.durationSeconds) };
    return {
      name,
      phase: 'deployment' as const,
      image: 'example.com/check:1',
      podLabels: { [benchRunLabel]: opts.benchId },
      // The scale figure's extra nodes are tainted so nobody else's pods land on them.
      tolerations: [{ key: benchTaint, operator: 'Exists' as const, effect: 'NoSchedule' as const }],
      podAnnotations: {
        'sandbox.verdict.dev/duration-seconds': String(opts.durationSeconds),
        'sandbox.verdict.dev/exit-code': fails ? '1' : '0',
        'sandbox.verdict.dev/stdout': `checking ${name}\n${fails ? 'not ok' : 'ok'}`,
      },
    };
  });
  return { suite: { name: 'bench', namespace: opts.namespace, concurrency: opts.concurrency, validators }, namespace: opts.namespace, expected };
}

/** The baseline's stand-in for a Temporal execution, so its Jobs have the shape Verdict's have. */
export const baselineIdentity = (runId: string) => ({ runId, execution: 'baseline' });

/** The Jobs Verdict builds for this suite under `runId`, using the namespace's default ServiceAccount. */
export function baselineJobs(w: Workload, runId: string): V1Job[] {
  const suite = suiteSchema.parse(w.suite);
  const run = baselineIdentity(runId);
  return suite.validators.map((v) => buildJob(v, { ...run, namespace: suite.namespace, jobName: jobName(run, v.name), serviceAccount: 'default' }));
}
