import { ApiException } from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { toFailure } from '../../src/k8s/errors';

const apiError = (code: number, reason: string, message: string) =>
  new ApiException(code, 'HTTP error', JSON.stringify({ kind: 'Status', reason, message }), { authorization: 'Bearer secret-token' });

test.each([
  [403, 'Forbidden', true, 'KubernetesForbidden'],
  [422, 'Invalid', true, 'KubernetesInvalid'],
  [409, 'Conflict', true, 'KubernetesConflict'],
  [409, 'AlreadyExists', false, 'KubernetesHttp409'],
  [429, 'TooManyRequests', false, 'KubernetesHttp429'],
  [500, 'InternalError', false, 'KubernetesHttp500'],
  [503, 'ServiceUnavailable', false, 'KubernetesHttp503'],
])('HTTP %i %s -> nonRetryable=%s (%s)', (code, reason, nonRetryable, type) => {
  const f = toFailure(apiError(code, reason, 'the server says why'), 'creating Job j in namespace n') as ApplicationFailure;
  expect(f).toBeInstanceOf(ApplicationFailure);
  expect(f).toMatchObject({ nonRetryable, type, message: `creating Job j in namespace n: the server says why (${reason})` });
});

test('never leaks the raw exception with its headers', () => {
  const f = toFailure(apiError(403, 'Forbidden', 'jobs is forbidden'), 'creating Job');
  expect(f.message).not.toContain('secret-token');
  expect(f.message).not.toContain('HTTP-Code');
});

test('connection errors are retried', () => {
  const f = toFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:16443'), { code: 'ECONNREFUSED' }), 'listing pods') as ApplicationFailure;
  expect(f).toMatchObject({ nonRetryable: false, type: 'KubernetesUnavailable' });
  expect(f.message).toBe('listing pods: cannot reach the Kubernetes API: connect ECONNREFUSED 127.0.0.1:16443');
});
