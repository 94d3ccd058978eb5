import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { observeJob } from '../../src/core/observe';
import { stuckThresholdsSchema } from '../../src/core/spec';

const thresholds = stuckThresholdsSchema.parse({ unschedulable: '2m', imagePull: '1m', containerConfig: '30s' });
const t0 = Date.parse('2026-11-22T02:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const job = (conditions: object[] = [], extra: object = {}): V1Job => ({ metadata: { name: 'j', ...extra }, status: { conditions: conditions as never } });

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

test('job conditions decide the terminal states', () => {
  expect(observeJob(undefined, [], t0, thresholds)).toEqual({ state: 'deleted' });
  expect(observeJob(job([], { deletionTimestamp: iso(t0) }), [], t0, thresholds)).toEqual({ state: 'deleted' });
  expect(observeJob(job([{ type: 'Complete', status: 'True' }]), [], t0, thresholds)).toEqual({ state: 'succeeded' });
  expect(observeJob(job([{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'too long' }]), [], t0, thresholds)).toEqual({ state: 'failed', reason: 'DeadlineExceeded', message: 'too long' });
  expect(observeJob(job([{ type: 'Failed', status: 'False' }]), [], t0, thresholds)).toEqual({ state: 'pending' });
});

test("a pod's end decides before the Job controller writes its condition", () => {
  expect(observeJob(job(), [{ status: { phase: 'Succeeded' } }], t0, thresholds)).toEqual({ state: 'succeeded' });
  expect(observeJob(job(), [{ status: { phase: 'Failed' } }], t0, thresholds)).toEqual({ state: 'failed', reason: 'PodFailed', message: 'the pod failed' });
  expect(observeJob(job(), [{ status: { phase: 'Failed', reason: 'Evicted', message: 'low on memory' } }], t0, thresholds)).toEqual({ state: 'failed', reason: 'Evicted', message: 'low on memory' });
  // A pod being deleted (the Job's deadline killing it) is not the validator's own end.
  expect(observeJob(job(), [{ metadata: { deletionTimestamp: new Date(t0) }, status: { phase: 'Failed' } }], t0, thresholds)).toEqual({ state: 'pending' });
});

test('running while a pod runs', () => {
  expect(observeJob(job(), [{ status: { phase: 'Running' } }], t0, thresholds)).toEqual({ state: 'running' });
});

test.each([
  ['ImagePullBackOff', 60_000],
  ['ErrImagePull', 60_000],
  ['CreateContainerConfigError', 30_000],
])('%s is stuck once its threshold has passed, and says when to look again before', (reason, limit) => {
  const pod = waitingPod(reason, t0);
  expect(observeJob(job(), [pod], t0 + limit - 1, thresholds)).toEqual({ state: 'pending', recheckAt: t0 + limit });
  expect(observeJob(job(), [pod], t0 + limit, thresholds)).toEqual({ state: 'stuck', reason, message: `${reason}: details` });
});

test('an unschedulable pod is stuck after its threshold, with the scheduler message', () => {
  expect(observeJob(job(), [unschedulable(t0)], t0 + 1000, thresholds)).toEqual({ state: 'pending', recheckAt: t0 + 120_000 });
  expect(observeJob(job(), [unschedulable(t0)], t0 + 120_000, thresholds)).toEqual({ state: 'stuck', reason: 'Unschedulable', message: '0/3 nodes are available' });
});

test('a terminal job condition wins over a stuck pod', () => {
  expect(observeJob(job([{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }]), [unschedulable(t0)], t0 + 600_000, thresholds).state).toBe('failed');
});
