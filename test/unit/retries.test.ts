import { buildReport } from '../../src/core/ctrf';
import { toJUnit } from '../../src/core/junit';
import { jobName, validatorWorkflowId } from '../../src/core/names';
import type { ValidatorResult } from '../../src/core/result';
import { attemptOf, isFlaky, maxAttemptMessageChars, retryable, withAttempts } from '../../src/core/retries';
import { suiteSchema } from '../../src/core/spec';
import { ctrfProblems } from '../fixtures/ctrf-schema';

const result = (status: ValidatorResult['status'], reason?: string, extra: Partial<ValidatorResult> = {}): ValidatorResult => ({ name: 'v', phase: 'readiness', status, exitCode: status === 'passed' ? 0 : -1, message: '', stdout: [], durationMs: 1000, ...(reason ? { reason } : {}), ...extra });

test('only other outcomes that the run itself did not cause are retried', () => {
  const cases: [ValidatorResult, boolean][] = [
    [result('other', 'Evicted'), true],
    [result('other', 'Deleted'), true],
    [result('other', 'Timeout'), true],
    [result('other', 'ImagePullBackOff'), true],
    [result('other', 'CouldNotRun'), true],
    [result('other', undefined, { exitCode: 3 }), true],
    [result('other', 'Cancelled'), false],
    [result('other', 'RunDeadlineExceeded'), false],
    [result('failed', 'Error', { exitCode: 1 }), false],
    [result('skipped', undefined, { exitCode: 2 }), false],
    [result('passed', 'Completed'), false],
  ];
  expect(cases.map(([r]) => retryable(r))).toEqual(cases.map(([, want]) => want));
});

test('earlier attempts are kept small, and a pass after a retry is flaky', () => {
  const first = result('other', 'Evicted', { message: 'x'.repeat(5000), node: 'node-1', jobName: 'verdict-a-v', stdout: ['a'.repeat(1000)] });
  expect(attemptOf(first, 1)).toEqual({ attempt: 1, status: 'other', exitCode: -1, reason: 'Evicted', message: `${'x'.repeat(maxAttemptMessageChars)}...`, durationMs: 1000, node: 'node-1', jobName: 'verdict-a-v' });
  const last = withAttempts(result('passed', 'Completed'), [first]);
  expect(isFlaky(last)).toBe(true);
  expect(isFlaky(withAttempts(result('other', 'Evicted'), [first]))).toBe(false);
  expect(isFlaky(result('passed'))).toBe(false);
  expect(withAttempts(result('passed'), [])).toEqual(result('passed'));
});

test('the report carries retries in CTRF fields, valid for CTRF tooling, and JUnit as properties', () => {
  const last = withAttempts(result('passed', 'Completed'), [result('other', 'Evicted', { startedAt: '2026-12-04T02:00:00.000Z', finishedAt: '2026-12-04T02:00:05.000Z' })]);
  const report = buildReport([last], { reportId: '6f1c2a8e-3b7d-4c1e-9f2a-0d5e8b7c6a41', start: 0, stop: 1, toolVersion: '0.1.0' });
  expect(report.results.tests[0]).toMatchObject({ retries: 1, flaky: true, retryAttempts: [{ attempt: 1, status: 'other', duration: 1000, start: Date.parse('2026-12-04T02:00:00.000Z'), extra: { exitCode: -1, reason: 'Evicted' } }] });
  expect(ctrfProblems(report)).toEqual([]);
  expect(toJUnit(report)).toContain('<properties><property name="retries" value="1"/><property name="flaky" value="true"/></properties>');
});

test('each attempt has its own Job and child workflow; the first keeps the names runs always had', () => {
  const run = { runId: 'nightly', execution: '2c1f0a9e-0000-4000-8000-000000000000' };
  expect(jobName(run, 'v', 1)).toBe(jobName(run, 'v'));
  const names = [1, 2, 3, 4].map((n) => jobName(run, 'v', n));
  expect(new Set(names).size).toBe(4);
  // No other validator's name gives a retry's Job name: the attempt changes the key, not the suffix.
  expect(names.slice(1).every((n) => n.endsWith('-v') && !n.startsWith(jobName(run, '')))).toBe(true);
  expect([1, 2].map((n) => validatorWorkflowId('nightly', 'v', n))).toEqual(['nightly/v', 'nightly/v/2']);
});

test('retries are 0 to 3, for each validator', () => {
  const suite = (retries: unknown) => suiteSchema.safeParse({ name: 's', validators: [{ name: 'v', phase: 'readiness', image: 'example.com/v:1', retries }] });
  expect(suite(3).success).toBe(true);
  const refused = suite(4);
  expect(refused.success).toBe(false);
  expect(refused.error?.issues[0]).toMatchObject({ path: ['validators', 0, 'retries'], message: 'must be at most 3: each retry is a new Job with its own timeout' });
  expect(suiteSchema.parse({ name: 's', validators: [{ name: 'v', phase: 'readiness', image: 'example.com/v:1' }] }).validators[0].retries).toBe(0);
});
