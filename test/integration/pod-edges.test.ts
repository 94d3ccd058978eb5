// The edges of a validator's pod against the real API server, controller-manager and kwok:
// pods the Job controller is refused (FailedCreate), and a sidecar that outlives the validator.
import { randomUUID } from 'node:crypto';
import type { V1Job } from '@kubernetes/client-node';
import { activityKit, inActivity, jobContext, simulated } from '../harness/activities';
import { eventually } from '../harness/eventually';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { findFailedCreate, PodCreationCheck } from '../../src/activities/pod-creation';
import { buildJob } from '../../src/core/job';
import { observeJob, podCreationCheckAfterMs } from '../../src/core/observe';
import { outcomeOf } from '../../src/core/classify';
import { stuckThresholdsSchema } from '../../src/core/spec';
import type { Clients } from '../../src/k8s/client';

const { acts, watches } = activityKit();
afterAll(() => watches.stop());

const thresholds = { ...stuckThresholdsSchema.parse({}), podCreation: '2s' };

/** Deploys a validator's Job through the activity and returns it as the API server has it. */
async function deploy(spec: ReturnType<typeof simulated>, serviceAccount?: string): Promise<V1Job> {
  const ctx = jobContext(`run-${randomUUID()}`, testNamespace(), spec.name, serviceAccount);
  await inActivity(acts.deployJob, { spec, ctx });
  return clients().batch.readNamespacedJob({ name: ctx.jobName, namespace: ctx.namespace });
}

const identity = (job: V1Job) => ({ namespace: job.metadata!.namespace!, name: job.metadata!.name!, uid: job.metadata!.uid! });
const ref = (job: V1Job) => ({ namespace: job.metadata!.namespace!, jobName: job.metadata!.name! });

/** Clients whose event lists are counted: the pod-creation check must cost one request per check. */
function countingEventLists(): { c: Clients; calls: () => number } {
  const real = clients();
  let calls = 0;
  const core = new Proxy(real.core, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'listNamespacedEvent' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { c: { ...real, core }, calls: () => calls };
}

/**
 * What awaitJob does with the hint, step by step on the real Job: observe (no pod), one check
 * (refused, younger than the threshold), no request before the recheck time, then stuck.
 */
async function expectRefused(job: V1Job, apiServerSays: RegExp) {
  const failed = await eventually(() => findFailedCreate(clients(), identity(job)), 'a FailedCreate event on the Job', 30_000);
  expect(failed.message).toMatch(/^Error creating: pods "[^"]+" is forbidden: /);
  expect(failed.message).toMatch(apiServerSays);
  expect(failed.firstAt).toBeLessThanOrEqual(Date.now() + 1000);

  const { c, calls } = countingEventLists();
  const check = new PodCreationCheck(c, thresholds);
  const created = Date.parse(String(job.metadata!.creationTimestamp));
  const seen = observeJob(job, [], Math.max(Date.now(), created + podCreationCheckAfterMs), thresholds);
  expect(seen).toEqual({ state: 'pending', checkPodCreation: true });
  const firstLook = await check.refine(job, seen, failed.firstAt + 500);
  expect(firstLook).toEqual({ state: 'pending', recheckAt: failed.firstAt + 2000 });
  expect(await check.refine(job, seen, failed.firstAt + 1000)).toEqual(firstLook);
  expect(calls()).toBe(1); // no second request before the recheck time
  const outcome = outcomeOf(await check.refine(job, seen, failed.firstAt + 2000));
  expect(calls()).toBe(2);
  expect(outcome).toEqual({ outcome: 'stuck', reason: 'FailedCreate', message: expect.stringMatching(apiServerSays) as string });

  // The result the validator would report, then its Job deleted as the workflow does.
  const result = await inActivity(acts.extractResult, { ...ref(job), spec: simulated('refused', {}), outcome: outcome! });
  expect(result).toMatchObject({ status: 'other', exitCode: -1, reason: 'FailedCreate', message: expect.stringMatching(apiServerSays) as string });
  await inActivity(acts.deleteJob, ref(job));
}

test('a ResourceQuota that allows no pod: FailedCreate with the quota the API server names', async () => {
  const namespace = testNamespace();
  await clients().core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'no-pods' }, spec: { hard: { pods: '0' } } } });
  // Quota admission refuses with "status unknown" until the quota controller has counted usage.
  await eventually(async () => (await clients().core.readNamespacedResourceQuota({ name: 'no-pods', namespace })).status?.hard?.pods, 'the quota controller to count usage');
  const job = await deploy(simulated('quota', { 'exit-code': '0' }));
  await expectRefused(job, /exceeded quota: no-pods, requested: pods=1, used: pods=0, limited: pods=0/);
});

test('Pod Security enforce=restricted and a privileged validator: FailedCreate with the violated policy', async () => {
  const namespace = testNamespace();
  await clients().core.patchNamespace({ name: namespace, body: [{ op: 'add', path: '/metadata/labels/pod-security.kubernetes.io~1enforce', value: 'restricted' }] });
  const job = await deploy(simulated('privileged', { 'exit-code': '0' }, { privileged: true }));
  await expectRefused(job, /violates PodSecurity "restricted:latest": privileged \(container "validator" must not set securityContext.privileged=true\)/);
});

test('a ServiceAccount that does not exist: FailedCreate naming it', async () => {
  const job = await deploy(simulated('no-sa', { 'exit-code': '0' }), 'gone');
  await expectRefused(job, /serviceaccount "gone" not found/);
});

/** deploy -> awaitJob -> extractResult -> deleteJob, as the validator workflow does it. */
async function runThrough(spec: ReturnType<typeof simulated>) {
  const job = await deploy(spec);
  const started = Date.now();
  const outcome = await inActivity(acts.awaitJob, { ...ref(job), thresholds, deadline: Date.now() + 90_000 });
  const tookMs = Date.now() - started;
  const result = await inActivity(acts.extractResult, { ...ref(job), spec, outcome });
  await inActivity(acts.deleteJob, ref(job));
  return { outcome, result, tookMs };
}

test('end to end through awaitJob: a quota and Pod Security each end within seconds with FailedCreate, not a Timeout', async () => {
  const namespace = testNamespace();
  await clients().core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'no-pods' }, spec: { hard: { pods: '0' } } } });
  await eventually(async () => (await clients().core.readNamespacedResourceQuota({ name: 'no-pods', namespace })).status?.hard?.pods, 'the quota controller to count usage');
  const quota = await runThrough(simulated('quota', { 'exit-code': '0' }));
  expect(quota.result).toMatchObject({ status: 'other', exitCode: -1, reason: 'FailedCreate', message: expect.stringMatching(/exceeded quota: no-pods/) as string });
  expect(quota.tookMs).toBeLessThan(15_000); // threshold 2s; the timeout would be 90s

  await clients().core.deleteNamespacedResourceQuota({ name: 'no-pods', namespace });
  await clients().core.patchNamespace({ name: namespace, body: [{ op: 'add', path: '/metadata/labels/pod-security.kubernetes.io~1enforce', value: 'restricted' }] });
  const privileged = await runThrough(simulated('privileged', { 'exit-code': '0' }, { privileged: true }));
  expect(privileged.result).toMatchObject({ status: 'other', exitCode: -1, reason: 'FailedCreate', message: expect.stringMatching(/violates PodSecurity "restricted:latest"/) as string });
  expect(privileged.tookMs).toBeLessThan(15_000);
});

test('a Job whose pod is created has no FailedCreate event', async () => {
  const job = await deploy(simulated('fine', { 'exit-code': '0' }));
  const outcome = await inActivity(acts.awaitJob, { ...ref(job), thresholds, deadline: Date.now() + 60_000 });
  expect(outcome).toEqual({ outcome: 'succeeded' });
  expect(await findFailedCreate(clients(), identity(job))).toBeUndefined();
  await inActivity(acts.deleteJob, ref(job));
});

test('a validator that exits while an injected sidecar keeps the pod Running ends with its own exit code, not a timeout', async () => {
  const spec = simulated('sidecar', { hang: 'true', 'only-validator-exits': 'true', 'exit-code': '1', 'duration-seconds': '1', message: 'driver missing', stdout: 'checking\ndriver missing' });
  const ctx = jobContext(`run-${randomUUID()}`, testNamespace(), spec.name);
  const job = buildJob(spec, ctx);
  // What a mutating webhook (a service mesh) does: a second, non-native container beside the validator.
  job.spec!.template.spec!.containers.push({ name: 'istio-proxy', image: 'example.com/proxy:1' });
  await clients().batch.createNamespacedJob({ namespace: ctx.namespace, body: job });
  const started = Date.now();
  const jobRef = { namespace: ctx.namespace, jobName: ctx.jobName };
  const outcome = await inActivity(acts.awaitJob, { ...jobRef, thresholds, deadline: Date.now() + 60_000 });
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(outcome).toMatchObject({ outcome: 'failed' });

  const pods = await clients().core.listNamespacedPod({ namespace: ctx.namespace, labelSelector: `batch.kubernetes.io/job-name=${ctx.jobName}` });
  expect(pods.items[0].status?.phase).toBe('Running'); // the sidecar keeps it running
  expect(pods.items[0].status?.containerStatuses?.find((s) => s.name === 'istio-proxy')?.state?.running).toBeDefined();

  const result = await inActivity(acts.extractResult, { ...jobRef, spec, outcome });
  expect(result).toMatchObject({ status: 'failed', exitCode: 1, message: 'driver missing', stdout: ['checking', 'driver missing'] });
  expect((await inActivity(acts.deleteJob, jobRef)).podsSettled).toBe(true);
});

test('the same with exit code 0: passed', async () => {
  const spec = simulated('sidecar-ok', { hang: 'true', 'only-validator-exits': 'true', 'exit-code': '0' });
  const ctx = jobContext(`run-${randomUUID()}`, testNamespace(), spec.name);
  const job = buildJob(spec, ctx);
  job.spec!.template.spec!.containers.push({ name: 'istio-proxy', image: 'example.com/proxy:1' });
  await clients().batch.createNamespacedJob({ namespace: ctx.namespace, body: job });
  const jobRef = { namespace: ctx.namespace, jobName: ctx.jobName };
  const outcome = await inActivity(acts.awaitJob, { ...jobRef, thresholds, deadline: Date.now() + 60_000 });
  expect(outcome).toEqual({ outcome: 'succeeded' });
  expect(await inActivity(acts.extractResult, { ...jobRef, spec, outcome })).toMatchObject({ status: 'passed', exitCode: 0 });
  await inActivity(acts.deleteJob, jobRef);
});
