import type { V1Pod } from '@kubernetes/client-node';
import { buildResult, maxMessageBytes } from '../../src/core/classify';

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
