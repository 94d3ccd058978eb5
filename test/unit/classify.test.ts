import type { V1Pod } from '@kubernetes/client-node';
import { buildResult, maxMessageBytes, outcomeOf } from '../../src/core/classify';
import * as fx from './fixtures/pods';

const v = { name: 'check', phase: 'deployment' as const, timeout: '5m', expectedTests: undefined };
const pod = (state: object, nodeName = 'n1'): V1Pod => ({
  spec: { nodeName, containers: [] },
  status: { startTime: new Date('2026-11-22T02:00:00Z'), containerStatuses: [{ name: 'validator', image: 'x', imageID: '', ready: false, restartCount: 0, state }] },
});

test('a terminated container decides by exit code', () => {
  const r = buildResult(v, 'job', { outcome: 'failed', reason: 'BackoffLimitExceeded', message: '' }, pod({ terminated: { exitCode: 1, message: 'nope', startedAt: new Date('2026-11-22T02:00:00Z'), finishedAt: new Date('2026-11-22T02:00:03Z') } }), 'a\nb\n');
  expect(r).toMatchObject({ status: 'failed', exitCode: 1, message: 'nope', stdout: ['a', 'b'], durationMs: 3000, node: 'n1', jobName: 'job' });
  expect(r.reason).toBeUndefined();
});

test('a timeout keeps what the running container wrote', () => {
  const r = buildResult(v, 'job', { outcome: 'timeout' }, pod({ running: { startedAt: new Date('2026-11-22T02:00:00Z') } }), 'partial\n');
  expect(r).toMatchObject({ status: 'other', exitCode: -1, reason: 'Timeout', message: 'timeout: the validator did not complete within 5m', stdout: ['partial'], startedAt: '2026-11-22T02:00:00.000Z' });
});

test('stuck, deleted, cancelled and vanished pods are `other` with their reason', () => {
  const waiting = pod({ waiting: { reason: 'ImagePullBackOff', message: 'manifest unknown' } });
  expect(buildResult(v, 'j', { outcome: 'stuck', reason: 'ImagePullBackOff', message: 'manifest unknown' }, waiting, '')).toMatchObject({ status: 'other', reason: 'ImagePullBackOff', message: 'manifest unknown' });
  expect(buildResult(v, 'j', { outcome: 'deleted' }, undefined, '')).toMatchObject({ status: 'other', reason: 'Deleted' });
  expect(buildResult(v, 'j', { outcome: 'cancelled' }, waiting, '').message).toBe('cancelled: the run was cancelled before the validator finished (container waiting: ImagePullBackOff: manifest unknown)');
  expect(buildResult(v, 'j', { outcome: 'succeeded' }, undefined, '')).toMatchObject({ status: 'other', reason: 'NoPod' });
  expect(buildResult(v, 'j', { outcome: 'failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }, undefined, '')).toMatchObject({ status: 'other', exitCode: -1, reason: 'DeadlineExceeded' });
});

test('termination messages are cut at 4096 bytes', () => {
  const r = buildResult(v, 'j', { outcome: 'failed', reason: 'x', message: '' }, pod({ terminated: { exitCode: 1, message: 'é'.repeat(5000) } }), '');
  expect(new TextEncoder().encode(r.message).length).toBeLessThanOrEqual(maxMessageBytes + 20);
  expect(r.message.endsWith('... [truncated]')).toBe(true);
});

describe('the validator container decides, and Kubernetes reasons are kept', () => {
  const deadlineMessage = 'Pod was active on the node longer than the specified deadline';

  test('a validator that exited while an injected sidecar keeps running: its own exit code (the sidecar status comes first)', () => {
    const p = fx.pod({ phase: 'Running', containers: [fx.status('validator', fx.exited(1, { message: 'driver missing' })), fx.status('istio-proxy', fx.running())] });
    expect(buildResult(v, 'j', { outcome: 'failed', reason: 'Error', message: 'the validator exited with code 1' }, p, 'checking\n')).toMatchObject({
      status: 'failed',
      exitCode: 1,
      message: 'driver missing',
      stdout: ['checking'],
      durationMs: 3000,
    });
  });

  test("the pod's deadline: status other, DeadlineExceeded, the kill's exit code and the stdout up to the kill", () => {
    const p = fx.pod({ phase: 'Failed', reason: 'DeadlineExceeded', message: deadlineMessage, containers: [fx.status('validator', fx.exited(137))] });
    const r = buildResult(v, 'j', { outcome: 'failed', reason: 'DeadlineExceeded', message: deadlineMessage }, p, 'step 1\nstep 2\n');
    expect(r).toEqual(
      expect.objectContaining({
        status: 'other',
        exitCode: 137,
        reason: 'DeadlineExceeded',
        podReason: 'DeadlineExceeded',
        message: `timeout: the validator did not complete within 5m; Kubernetes' deadline stopped it (${deadlineMessage})`,
        stdout: ['step 1', 'step 2'],
      }),
    );
    expect(r.jobReason).toBeUndefined();
  });

  test("the pod's deadline before the container's status was written: the same reason, no exit code", () => {
    const p = fx.pod({ phase: 'Failed', reason: 'DeadlineExceeded', message: deadlineMessage, containers: [fx.status('validator', fx.running())] });
    expect(buildResult(v, 'j', { outcome: 'failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', jobReason: 'BackoffLimitExceeded' }, p, 'step 1\n')).toMatchObject({
      status: 'other',
      exitCode: -1,
      reason: 'DeadlineExceeded',
      podReason: 'DeadlineExceeded',
      stdout: ['step 1'],
    });
  });

  test('an evicted pod is other with Evicted and the node message, whatever exit code the kill left; a container reason stays in the message', () => {
    const evicted = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 60Mi.';
    const p = fx.pod({ phase: 'Failed', reason: 'Evicted', message: evicted, containers: [fx.status('validator', fx.exited(137, { reason: 'OOMKilled' }))] });
    expect(buildResult(v, 'j', { outcome: 'failed', reason: 'Evicted', message: evicted }, p, '')).toMatchObject({ status: 'other', exitCode: 137, reason: 'Evicted', podReason: 'Evicted', message: `${evicted} (container: OOMKilled)` });
  });

  test("the Job's deadline is kept even though the container has a terminated state", () => {
    const p = fx.pod({ phase: 'Failed', containers: [fx.status('validator', fx.exited(143))] });
    const outcome = { outcome: 'failed' as const, reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline', jobReason: 'DeadlineExceeded' };
    expect(buildResult(v, 'j', outcome, p, 'partial\n')).toMatchObject({
      status: 'other',
      exitCode: 143,
      reason: 'DeadlineExceeded',
      jobReason: 'DeadlineExceeded',
      message: "timeout: the validator did not complete within 5m; Kubernetes' deadline stopped it (Job was active longer than specified deadline)",
      stdout: ['partial'],
    });
  });

  test('BackoffLimitExceeded only restates the failed pod: the exit code decides, no Job reason kept', () => {
    const p = fx.pod({ phase: 'Failed', containers: [fx.status('validator', fx.exited(1))] });
    const r = buildResult(v, 'j', { outcome: 'failed', reason: 'BackoffLimitExceeded', message: '', jobReason: 'BackoffLimitExceeded' }, p, '');
    expect(r).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(r.reason).toBeUndefined();
    expect(r.jobReason).toBeUndefined();
  });

  test('an init container that failed: other, never ran, the init container named, even when the Job condition arrived first', () => {
    const p = fx.pod({ phase: 'Failed', initContainers: [fx.status('setup', fx.exited(3))], containers: [fx.status('validator', fx.waiting('PodInitializing'))] });
    const expected = { status: 'other', exitCode: -1, reason: 'InitContainerFailed', message: 'init container "setup" exited with code 3 (Error); the validator never ran' };
    expect(buildResult(v, 'j', { outcome: 'failed', reason: 'InitContainerFailed', message: 'init container "setup" exited with code 3 (Error); the validator never ran' }, p, '')).toMatchObject(expected);
    expect(buildResult(v, 'j', { outcome: 'failed', reason: 'BackoffLimitExceeded', message: '', jobReason: 'BackoffLimitExceeded' }, p, '')).toMatchObject(expected);
  });

  test("Verdict's own timeout stays Timeout, with the pod's reason alongside", () => {
    const p = fx.pod({ phase: 'Failed', reason: 'DeadlineExceeded', message: deadlineMessage, containers: [fx.status('validator', fx.exited(137))] });
    expect(buildResult(v, 'j', { outcome: 'timeout' }, p, 'x\n')).toMatchObject({ status: 'other', exitCode: -1, reason: 'Timeout', podReason: 'DeadlineExceeded', stdout: ['x'] });
  });

  test('a pod never created: other with FailedCreate and the API server message', () => {
    const message = 'Error creating: pods "j-abcde" is forbidden: exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0';
    expect(buildResult(v, 'j', { outcome: 'stuck', reason: 'FailedCreate', message }, undefined, '')).toEqual({
      name: 'check',
      phase: 'deployment',
      jobName: 'j',
      node: undefined,
      stdout: [],
      status: 'other',
      exitCode: -1,
      reason: 'FailedCreate',
      message,
      startedAt: undefined,
      durationMs: 0,
    });
  });
});

test('outcomeOf ends the wait on terminal observations only, keeping the Job reason', () => {
  expect(outcomeOf({ state: 'pending', checkPodCreation: true })).toBeUndefined();
  expect(outcomeOf({ state: 'running', recheckAt: 1 })).toBeUndefined();
  expect(outcomeOf({ state: 'succeeded' })).toEqual({ outcome: 'succeeded' });
  expect(outcomeOf({ state: 'deleted' })).toEqual({ outcome: 'deleted' });
  expect(outcomeOf({ state: 'failed', reason: 'DeadlineExceeded', message: 'm', jobReason: 'DeadlineExceeded' })).toEqual({ outcome: 'failed', reason: 'DeadlineExceeded', message: 'm', jobReason: 'DeadlineExceeded' });
  expect(outcomeOf({ state: 'stuck', reason: 'FailedCreate', message: 'm' })).toEqual({ outcome: 'stuck', reason: 'FailedCreate', message: 'm' });
});
