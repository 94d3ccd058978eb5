// A pod Kubernetes takes away (the Eviction API, the taint manager on a lost node) has no reason of
// its own, only a DisruptionTarget condition: that condition, not the kill's exit, decides.
import type { V1Pod } from '@kubernetes/client-node';
import { buildResult } from '../../src/core/classify';
import * as fx from './fixtures/pods';

const v = { name: 'check', phase: 'readiness' as const, timeout: '3m', expectedTests: undefined };
const jobFailed = { outcome: 'failed' as const, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', jobReason: 'BackoffLimitExceeded' };

function disrupted(p: V1Pod, reason: string, message: string): V1Pod {
  p.metadata!.deletionTimestamp = fx.at(fx.t0 + 5_000);
  p.status!.conditions!.push({ type: 'DisruptionTarget', status: 'True', reason, message, lastTransitionTime: fx.at(fx.t0 + 5_000) });
  return p;
}

test('evicted through the API: a validator that exits 0 on SIGTERM is other with EvictionByEvictionAPI, not passed', () => {
  const p = disrupted(fx.pod({ phase: 'Succeeded', containers: [fx.status('validator', fx.exited(0))] }), 'EvictionByEvictionAPI', 'Eviction API: evicting');
  expect(buildResult(v, 'j', jobFailed, p, 'started\nterminated\n')).toMatchObject({
    status: 'other', exitCode: 0, reason: 'EvictionByEvictionAPI', podReason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', stdout: ['started', 'terminated'],
  });
});

test('evicted through the API: the exit code of the kill is kept, the message is the eviction\'s', () => {
  const p = disrupted(fx.pod({ phase: 'Failed', containers: [fx.status('validator', fx.exited(143, { reason: 'Error', message: 'started\nterminated' }))] }), 'EvictionByEvictionAPI', 'Eviction API: evicting');
  expect(buildResult(v, 'j', jobFailed, p, 'started\nterminated\n')).toMatchObject({ status: 'other', exitCode: 143, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
});

test('the node lost: the pod still shows its container running; the taint manager\'s deletion is the reason', () => {
  const p = disrupted(fx.pod({ phase: 'Running', containers: [fx.status('validator', fx.running())] }), 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint');
  expect(buildResult(v, 'j', jobFailed, p, '')).toMatchObject({
    status: 'other', exitCode: -1, reason: 'DeletionByTaintManager', podReason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
  });
});

test('a pod reason still wins over a DisruptionTarget condition', () => {
  const p = disrupted(fx.pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.', containers: [fx.status('validator', fx.exited(137))] }), 'TerminationByKubelet', 'evicted by the kubelet');
  expect(buildResult(v, 'j', jobFailed, p, '')).toMatchObject({ status: 'other', reason: 'Evicted', message: 'The node was low on resource: memory.' });
});

test('a condition that is not True says nothing', () => {
  const p = fx.pod({ phase: 'Succeeded', containers: [fx.status('validator', fx.exited(0, { message: 'all good' }))] });
  p.status!.conditions!.push({ type: 'DisruptionTarget', status: 'False', reason: 'EvictionByEvictionAPI' });
  expect(buildResult(v, 'j', { outcome: 'succeeded' }, p, '')).toMatchObject({ status: 'passed', exitCode: 0, message: 'all good' });
});
