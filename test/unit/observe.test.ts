import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { afterPodCreationCheck, observeJob, podCreationCheckAfterMs, podCreationRecheckMs } from '../../src/core/observe';
import { stuckThresholdsSchema } from '../../src/core/spec';
import { at, exited, pod, running, status, t0, waiting } from './fixtures/pods';

const thresholds = stuckThresholdsSchema.parse({ unschedulable: '2m', imagePull: '1m', containerConfig: '30s' });
const iso = (ms: number) => new Date(ms).toISOString();
const job = (conditions: object[] = [], extra: object = {}): V1Job => ({ metadata: { name: 'j', uid: 'u', creationTimestamp: at(t0), ...extra }, status: { conditions: conditions as never } });
const onePod = [{ status: { phase: 'Pending' } } as V1Pod];

const waitingPod = (reason: string, scheduledAt: number): V1Pod => ({
  status: {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: new Date(scheduledAt) }],
    containerStatuses: [{ name: 'validator', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason, message: `${reason}: details` } } }],
  },
});
const unschedulable = (since: number): V1Pod => ({
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available', lastTransitionTime: iso(since) as never }] },
});

test('job conditions decide the terminal states, and a Failed condition names itself as the Job reason', () => {
  expect(observeJob(undefined, [], t0, thresholds)).toEqual({ state: 'deleted' });
  expect(observeJob(job([], { deletionTimestamp: iso(t0) }), [], t0, thresholds)).toEqual({ state: 'deleted' });
  expect(observeJob(job([{ type: 'Complete', status: 'True' }]), [], t0, thresholds)).toEqual({ state: 'succeeded' });
  expect(observeJob(job([{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'too long' }]), [], t0, thresholds)).toEqual({ state: 'failed', reason: 'DeadlineExceeded', message: 'too long', jobReason: 'DeadlineExceeded' });
  expect(observeJob(job([{ type: 'Failed', status: 'False' }]), onePod, t0, thresholds)).toEqual({ state: 'pending' });
});

test("a pod's end decides before the Job controller writes its condition", () => {
  expect(observeJob(job(), [{ status: { phase: 'Succeeded' } }], t0, thresholds)).toEqual({ state: 'succeeded' });
  expect(observeJob(job(), [{ status: { phase: 'Failed' } }], t0, thresholds)).toEqual({ state: 'failed', reason: 'PodFailed', message: 'the pod failed' });
  expect(observeJob(job(), [{ status: { phase: 'Failed', reason: 'Evicted', message: 'low on memory' } }], t0, thresholds)).toEqual({ state: 'failed', reason: 'Evicted', message: 'low on memory' });
  // A pod being deleted (the Job's deadline killing it) is not the validator's own end.
  expect(observeJob(job(), [{ metadata: { deletionTimestamp: new Date(t0) }, status: { phase: 'Failed' } }], t0, thresholds)).toEqual({ state: 'pending' });
});

test('a pod Kubernetes marked for disruption ends the wait once its container stopped, being deleted or not', () => {
  const evicted = (containerState: object): V1Pod => ({
    metadata: { deletionTimestamp: new Date(t0) },
    status: {
      phase: 'Running',
      conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }],
      containerStatuses: [{ name: 'validator', image: 'x', imageID: '', ready: false, restartCount: 0, state: containerState }],
    },
  });
  expect(observeJob(job(), [evicted({ running: {} })], t0, thresholds)).toEqual({ state: 'running' });
  expect(observeJob(job(), [evicted({ terminated: { exitCode: 143 } })], t0, thresholds)).toEqual({ state: 'failed', reason: 'Error', message: 'the validator exited with code 143' });
});

test("the pod's deadline (activeDeadlineSeconds on the pod) ends it Failed with DeadlineExceeded", () => {
  const killed = pod({ phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline', containers: [status('validator', exited(137))] });
  expect(observeJob(job(), [killed], t0, thresholds)).toEqual({ state: 'failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
});

test('running while a pod runs', () => {
  expect(observeJob(job(), [{ status: { phase: 'Running' } }], t0, thresholds)).toEqual({ state: 'running' });
});

test.each([
  ['ImagePullBackOff', 60_000],
  ['ErrImagePull', 60_000],
  ['CreateContainerConfigError', 30_000],
])('%s is stuck once its threshold has passed, and says when to look again before', (reason, limit) => {
  const p = waitingPod(reason, t0);
  expect(observeJob(job(), [p], t0 + limit - 1, thresholds)).toEqual({ state: 'pending', recheckAt: t0 + limit });
  expect(observeJob(job(), [p], t0 + limit, thresholds)).toEqual({ state: 'stuck', reason, message: `${reason}: details` });
});

test('an unschedulable pod is stuck after its threshold, with the scheduler message', () => {
  expect(observeJob(job(), [unschedulable(t0)], t0 + 1000, thresholds)).toEqual({ state: 'pending', recheckAt: t0 + 120_000 });
  expect(observeJob(job(), [unschedulable(t0)], t0 + 120_000, thresholds)).toEqual({ state: 'stuck', reason: 'Unschedulable', message: '0/3 nodes are available' });
});

test('a terminal job condition wins over a stuck pod', () => {
  expect(observeJob(job([{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }]), [unschedulable(t0)], t0 + 600_000, thresholds).state).toBe('failed');
});

describe('init containers and sidecars: the validator container decides', () => {
  const pullMessage = 'Back-off pulling image "example.com/setup:1": ErrImagePull: manifest unknown';

  test('an init container stuck pulling is stuck after the image-pull threshold, named in the message', () => {
    const p = pod({ phase: 'Pending', initContainers: [status('setup', waiting('ImagePullBackOff', pullMessage))], containers: [status('validator', waiting('PodInitializing'))] });
    expect(observeJob(job(), [p], t0 + 59_000, thresholds)).toEqual({ state: 'pending', recheckAt: t0 + 60_000 });
    expect(observeJob(job(), [p], t0 + 60_000, thresholds)).toEqual({ state: 'stuck', reason: 'ImagePullBackOff', message: `init container "setup": ${pullMessage}` });
  });

  test('a native sidecar that cannot pull blocks the validator too', () => {
    const p = pod({ phase: 'Pending', nativeSidecars: ['proxy'], initContainers: [status('proxy', waiting('ErrImagePull', 'not found'))], containers: [status('validator', waiting('PodInitializing'))] });
    expect(observeJob(job(), [p], t0 + 60_000, thresholds)).toEqual({ state: 'stuck', reason: 'ErrImagePull', message: 'init container "proxy": not found' });
  });

  test('an init container that exits non-zero fails the validator, naming it (pod Failed, Init:Error)', () => {
    // Its message as echo wrote it, newline and all (as a real kubelet keeps it).
    const p = pod({ phase: 'Failed', initContainers: [status('setup', exited(3, { message: 'no config\n' }))], containers: [status('validator', waiting('PodInitializing'))] });
    expect(observeJob(job(), [p], t0, thresholds)).toEqual({ state: 'failed', reason: 'InitContainerFailed', message: 'init container "setup" exited with code 3 (Error: no config); the validator never ran' });
    // The same before the kubelet has written the pod's phase.
    const early = pod({ phase: 'Pending', initContainers: [status('setup', exited(3))], containers: [status('validator', waiting('PodInitializing'))] });
    expect(observeJob(job(), [early], t0, thresholds)).toMatchObject({ state: 'failed', reason: 'InitContainerFailed' });
  });

  test('init containers that succeeded, and a native sidecar that restarts, change nothing', () => {
    const p = pod({
      phase: 'Running',
      nativeSidecars: ['proxy'],
      initContainers: [status('setup', exited(0)), status('proxy', running(), { restartCount: 1, lastState: exited(1) })],
      containers: [status('validator', running())],
    });
    expect(observeJob(job(), [p], t0, thresholds)).toEqual({ state: 'running' });
  });

  test('a validator that exited while an injected sidecar keeps the pod Running has ended, with its exit', () => {
    const passed = pod({ phase: 'Running', containers: [status('validator', exited(0)), status('istio-proxy', running())] });
    expect(passed.status!.containerStatuses![0].name).toBe('istio-proxy'); // sorted by name: the sidecar comes first
    expect(observeJob(job(), [passed], t0, thresholds)).toEqual({ state: 'succeeded' });
    const failed = pod({ phase: 'Running', containers: [status('validator', exited(1)), status('istio-proxy', running())] });
    expect(observeJob(job(), [failed], t0, thresholds)).toEqual({ state: 'failed', reason: 'Error', message: 'the validator exited with code 1' });
  });

  test('a sidecar that cannot pull while the validator runs does not make the validator stuck', () => {
    const p = pod({ phase: 'Running', containers: [status('validator', running()), status('log-shipper', waiting('ImagePullBackOff', 'denied'))] });
    expect(observeJob(job(), [p], t0 + 600_000, thresholds)).toEqual({ state: 'running' });
  });
});

describe('pods that are never created', () => {
  test('no pod for a moment is normal: look again when it is not', () => {
    expect(observeJob(job(), [], t0 + 1000, thresholds)).toEqual({ state: 'pending', recheckAt: t0 + podCreationCheckAfterMs });
  });

  test('no pod past that asks for one pod-creation check', () => {
    expect(observeJob(job(), [], t0 + podCreationCheckAfterMs, thresholds)).toEqual({ state: 'pending', checkPodCreation: true });
  });

  test('a pod that exists, or is being deleted, is no reason to check', () => {
    expect(observeJob(job(), onePod, t0 + 60_000, thresholds)).toEqual({ state: 'pending' });
    expect(observeJob(job(), [{ metadata: { deletionTimestamp: at(t0) }, status: { phase: 'Running' } }], t0 + 60_000, thresholds)).toEqual({ state: 'running' });
  });

  const refused = { message: 'Error creating: pods "j-abcde" is forbidden: exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0', firstAt: t0 + 100 };

  test('refusals younger than the threshold (default 30s) wait until it passes', () => {
    expect(afterPodCreationCheck(refused, t0 + 5000, thresholds)).toEqual({ state: 'pending', recheckAt: t0 + 100 + 30_000 });
  });

  test('refusals older than the threshold are stuck with the API server message', () => {
    expect(afterPodCreationCheck(refused, t0 + 100 + 30_000, thresholds)).toEqual({ state: 'stuck', reason: 'FailedCreate', message: refused.message });
    expect(afterPodCreationCheck(refused, t0 + 3000, { ...thresholds, podCreation: '2s' })).toEqual({ state: 'stuck', reason: 'FailedCreate', message: refused.message });
  });

  test('no refusal yet (a slow controller): check again later', () => {
    expect(afterPodCreationCheck(undefined, t0, thresholds)).toEqual({ state: 'pending', recheckAt: t0 + podCreationRecheckMs });
  });
});
