// One validator's Job through the activities, against the sandbox.
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { activityKit, inActivity, jobContext, simulated } from '../harness/activities';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { stuckThresholdsSchema } from '../../src/core/spec';
import type { AwaitOutcome } from '../../src/core/classify';

const { acts, watches } = activityKit();
afterAll(() => watches.stop());

const thresholds = stuckThresholdsSchema.parse({});
const inMinutes = (m: number) => Date.now() + m * 60_000;

/** deploy -> await -> extract -> delete, as the validator workflow does it. */
async function runValidator(spec: ReturnType<typeof simulated>, opts: { deadline?: number; thresholds?: typeof thresholds } = {}) {
  const ctx = jobContext(`run-${randomUUID()}`, testNamespace(), spec.name);
  await inActivity(acts.deployJob, { spec, ctx });
  const ref = { namespace: ctx.namespace, jobName: ctx.jobName };
  const outcome = await inActivity(acts.awaitJob, { ...ref, thresholds: opts.thresholds ?? thresholds, deadline: opts.deadline ?? inMinutes(2) });
  const result = await inActivity(acts.extractResult, { ...ref, spec, outcome });
  const deleted = await inActivity(acts.deleteJob, ref);
  return { outcome, result, deleted, ref };
}

test('a failing validator: exit code, message, stdout, times and node', async () => {
  const { outcome, result, deleted } = await runValidator(simulated('fails', { 'exit-code': '1', message: 'driver missing', stdout: 'checking\ndriver missing', 'duration-seconds': '1' }));
  expect(outcome).toEqual({ outcome: 'failed', reason: 'PodFailed', message: expect.any(String) as string }); // decided by the pod, before the Job's condition
  expect(result).toMatchObject({ name: 'fails', status: 'failed', exitCode: 1, message: 'driver missing', stdout: ['checking', 'driver missing'] });
  expect(result.node).toMatch(/^verdict-worker-/);
  expect(result.durationMs).toBeGreaterThanOrEqual(1000);
  expect(deleted.podsSettled).toBe(true);
});

test('exit codes 0 and 2 and an OOMKilled reason', async () => {
  const [passed, skipped, oom] = await Promise.all([
    runValidator(simulated('passes', { 'exit-code': '0' })),
    runValidator(simulated('skips', { 'exit-code': '2', message: 'no GPU here' })),
    runValidator(simulated('oom', { 'exit-code': '137', reason: 'OOMKilled' })),
  ]);
  expect(passed.result).toMatchObject({ status: 'passed', exitCode: 0 });
  expect(skipped.result).toMatchObject({ status: 'skipped', exitCode: 2, message: 'no GPU here' });
  expect(oom.result).toMatchObject({ status: 'other', exitCode: 137, reason: 'OOMKilled', message: 'the container ran out of memory (OOMKilled)' });
});

test('go test -json output becomes per-test results, and a missing expected test fails the validator', async () => {
  const events = [
    { Action: 'pass', Test: 'TestDriver', Elapsed: 0.5 },
    { Action: 'skip', Test: 'TestRDMA', Elapsed: 0 },
  ].map((e) => JSON.stringify({ Package: 'checks', ...e }));
  const { result } = await runValidator(simulated('gotest', { stdout: ['running', ...events].join('\n') }, { expectedTests: ['TestDriver', 'TestNCCL'] }));
  expect(result.tests).toEqual([
    { name: 'TestDriver', status: 'passed', durationMs: 500 },
    { name: 'TestRDMA', status: 'skipped', durationMs: 0 },
  ]);
  expect(result).toMatchObject({ status: 'failed', reason: 'MissingTests', message: 'expected tests did not report: TestNCCL' });
});

test("a validator that times out still reports the stdout it wrote, read before Kubernetes' deadline kills it", async () => {
  const { outcome, result, deleted } = await runValidator(simulated('slow', { hang: 'true', stdout: 'step 1\nstep 2' }, { timeout: '3s' }), { deadline: Date.now() + 3000 });
  expect(outcome).toEqual({ outcome: 'timeout' });
  expect(result).toMatchObject({ status: 'other', exitCode: -1, reason: 'Timeout', message: 'timeout: the validator did not complete within 3s', stdout: ['step 1', 'step 2'] });
  expect(deleted.podsSettled).toBe(true);
});

test('a pod stuck pulling its image is given up on after the threshold, with the reason', async () => {
  const quick = stuckThresholdsSchema.parse({ imagePull: '4s' });
  const started = Date.now();
  const { outcome, result } = await runValidator(simulated('no-image', { 'image-pull-error': 'manifest unknown' }), { thresholds: quick });
  expect(outcome).toMatchObject({ outcome: 'stuck', reason: expect.stringMatching(/^(ErrImagePull|ImagePullBackOff)$/) as string });
  // Kubernetes timestamps have one-second resolution, so the threshold may end up to 1s early.
  expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  expect(result).toMatchObject({ status: 'other', exitCode: -1 });
  expect(result.message).toContain('manifest unknown');
});

test('an unschedulable pod is reported stuck with the scheduler message', async () => {
  const quick = stuckThresholdsSchema.parse({ unschedulable: '2s' });
  const { result } = await runValidator(simulated('nowhere', { 'exit-code': '0' }, { nodeSelector: { 'example.com/none': 'x' } }), { thresholds: quick });
  expect(result).toMatchObject({ status: 'other', reason: 'Unschedulable' });
  expect(result.message).toContain('node');
});

test('deploying twice creates one Job; another spec under the same name is refused clearly', async () => {
  const namespace = testNamespace();
  const spec = simulated('twice', { hang: 'true' });
  const ctx = jobContext('run-twice', namespace, spec.name);
  const first = await inActivity(acts.deployJob, { spec, ctx });
  const second = await inActivity(acts.deployJob, { spec, ctx });
  expect(second).toEqual(first);
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toHaveLength(1);

  await expect(inActivity(acts.deployJob, { spec: { ...spec, image: 'example.com/other:2' }, ctx })).rejects.toMatchObject({
    nonRetryable: true,
    message: `a Job named ${ctx.jobName} already exists in namespace ${namespace} and it has another spec; delete it or use another namespace`,
  });
  await expect(inActivity(acts.deployJob, { spec, ctx: { ...ctx, runId: 'someone-else' , jobName: ctx.jobName } })).rejects.toMatchObject({ nonRetryable: true, message: expect.stringContaining('it belongs to run run-twice') as string });
  await inActivity(acts.deleteJob, { namespace, jobName: ctx.jobName });
  // Deleting again is success: NotFound means done.
  await expect(inActivity(acts.deleteJob, { namespace, jobName: ctx.jobName })).resolves.toEqual({ podsSettled: true });
});

test('a Job name held by an object Verdict does not manage is refused', async () => {
  const namespace = testNamespace();
  const spec = simulated('taken', { 'exit-code': '0' });
  const ctx = jobContext('run-taken', namespace, spec.name);
  await clients().batch.createNamespacedJob({ namespace, body: { metadata: { name: ctx.jobName }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } } });
  await expect(inActivity(acts.deployJob, { spec, ctx })).rejects.toMatchObject({ nonRetryable: true, message: expect.stringContaining('it is not managed by Verdict') as string });
});

test('an await interrupted half-way resumes and still sees the completion', async () => {
  const namespace = testNamespace();
  const spec = simulated('resumes', { 'exit-code': '0', 'duration-seconds': '3' });
  const ctx = jobContext('run-resume', namespace, spec.name);
  await inActivity(acts.deployJob, { spec, ctx });
  const ref = { namespace, jobName: ctx.jobName, thresholds, deadline: inMinutes(2) };

  const env = new MockActivityEnvironment();
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => heartbeats.push(d));
  const interrupted = env.run(acts.awaitJob, ref);
  await new Promise((r) => setTimeout(r, 1000));
  env.cancel('WORKER_SHUTDOWN');
  await expect(interrupted).rejects.toThrow();
  expect(heartbeats[0]).toMatchObject({ jobName: ctx.jobName, resourceVersion: expect.any(String) as string });

  const outcome: AwaitOutcome = await inActivity(acts.awaitJob, ref);
  expect(outcome).toEqual({ outcome: 'succeeded' });
  await inActivity(acts.deleteJob, { namespace, jobName: ctx.jobName });
});

test('a Job deleted while awaited is reported deleted', async () => {
  const namespace = testNamespace();
  const spec = simulated('vanishes', { hang: 'true' });
  const ctx = jobContext('run-vanish', namespace, spec.name);
  await inActivity(acts.deployJob, { spec, ctx });
  const waiting = inActivity(acts.awaitJob, { namespace, jobName: ctx.jobName, thresholds, deadline: inMinutes(2) });
  await new Promise((r) => setTimeout(r, 500));
  await inActivity(acts.deleteJob, { namespace, jobName: ctx.jobName });
  await expect(waiting).resolves.toEqual({ outcome: 'deleted' });
});
