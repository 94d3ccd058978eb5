// Verdict's timer can fire while its worker is down; a container that finished in time meanwhile still decides.
import type { V1Pod } from '@kubernetes/client-node';
import { buildResult, ownMessage } from '../../src/core/classify';

const v = { name: 'check', phase: 'deployment' as const, timeout: '20s', expectedTests: undefined };
const exitedAfter = (seconds: number, exitCode: number): V1Pod => ({
  spec: { nodeName: 'n1', containers: [] },
  status: {
    phase: exitCode === 0 ? 'Succeeded' : 'Failed',
    containerStatuses: [{ name: 'validator', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, message: 'real failure', startedAt: new Date('2026-11-22T02:00:00Z'), finishedAt: new Date(Date.parse('2026-11-22T02:00:00Z') + seconds * 1000) } } }],
  },
});

test('a timer that fired during an outage does not hide a container that exited within its timeout', () => {
  expect(buildResult(v, 'job', { outcome: 'timeout' }, exitedAfter(3, 1), 'checking\n')).toMatchObject({ status: 'failed', exitCode: 1, message: 'real failure', stdout: ['checking'], durationMs: 3000 });
});

test('a container that ran past its timeout is a Timeout, however it ended', () => {
  expect(buildResult(v, 'job', { outcome: 'timeout' }, exitedAfter(21, 0), '')).toMatchObject({ status: 'other', exitCode: -1, reason: 'Timeout' });
});

describe('the message the kubelet took from the log (FallbackToLogsOnError)', () => {
  test('is trimmed to whole lines', () => {
    expect(ownMessage('checking\ndriver missing\n', undefined, ['checking', 'driver missing'])).toBe('checking\ndriver missing');
    expect(ownMessage('ing\ndriver missing\n', undefined, ['checking', 'driver missing'])).toBe('driver missing');
  });
  test('says OOMKilled when the kernel killed the container', () => {
    expect(ownMessage('allocating\n', 'OOMKilled', ['allocating'])).toBe('the container ran out of memory (OOMKilled)');
    expect(ownMessage(undefined, 'OOMKilled', [])).toBe('the container ran out of memory (OOMKilled)');
  });
  test('a message the validator wrote itself is kept as written', () => {
    expect(ownMessage('ab'.repeat(2048), undefined, [])).toBe('ab'.repeat(2048));
    expect(ownMessage('driver missing', 'OOMKilled', ['allocating'])).toBe('driver missing');
  });
});
