import { buildReport, securityOptIns } from '../../src/core/ctrf';
import { suiteSchema } from '../../src/core/spec';
import type { ValidatorResult } from '../../src/core/result';
import { ctrfProblems } from '../fixtures/ctrf-schema';

const result = (name: string, over: Partial<ValidatorResult>): ValidatorResult => ({
  name,
  phase: 'deployment',
  status: 'passed',
  exitCode: 0,
  message: '',
  stdout: [],
  durationMs: 1200,
  ...over,
});

const meta = { reportId: '6f1c2a8e-3b7d-4c1e-9f2a-0d5e8b7c6a41', start: 1_700_000_000_000, stop: 1_700_000_060_000, toolVersion: '0.1.0' };

const results: ValidatorResult[] = [
  result('driver', { startedAt: '2026-11-22T02:00:00.000Z', finishedAt: '2026-11-22T02:00:01.200Z', stdout: ['ok'], node: 'n1', jobName: 'verdict-x-driver' }),
  result('nccl', { phase: 'performance', status: 'failed', exitCode: 1, message: 'bandwidth too low', tests: [{ name: 'TestAllReduce', status: 'failed', durationMs: 900 }] }),
  result('rdma', { status: 'skipped', exitCode: 2 }),
  result('image', { status: 'other', exitCode: -1, reason: 'ImagePullBackOff', message: 'manifest unknown', durationMs: 0 }),
];

test('the report validates against the CTRF schema', () => {
  const report = buildReport(results, meta);
  expect(ctrfProblems(report)).toEqual([]);
});

test('summary counts statuses; tests keep phase, exit code and reason', () => {
  const report = buildReport(results, meta);
  expect(report.results.summary).toEqual({ tests: 4, passed: 1, failed: 1, skipped: 1, pending: 0, other: 1, start: meta.start, stop: meta.stop });
  const [driver, nccl, , image] = report.results.tests;
  expect(driver).toMatchObject({ name: 'driver', suite: ['deployment'], start: Date.parse('2026-11-22T02:00:00.000Z'), stdout: ['ok'], rawStatus: 'exit code 0' });
  expect(nccl).toMatchObject({ suite: ['performance'], message: 'bandwidth too low', extra: { exitCode: 1, tests: [{ name: 'TestAllReduce' }] } });
  expect(image).toMatchObject({ status: 'other', rawStatus: 'ImagePullBackOff', extra: { exitCode: -1, reason: 'ImagePullBackOff' } });
});

test('the schema catches what CTRF forbids', () => {
  const report = buildReport(results, meta) as unknown as { results: { tests: Record<string, unknown>[] } };
  report.results.tests[0].verdict = 'unknown property';
  expect(ctrfProblems(report)).toEqual(['/results/tests/0: must NOT have additional properties']);
});

test('the report records the security opt-ins: cluster-admin, privileged, and roles other than view', () => {
  const v = (name: string, extra: object) => ({ name, phase: 'deployment', image: 'example.com/check:1', ...extra });
  const plain = suiteSchema.parse({ name: 's', validators: [v('a', {})] });
  expect(securityOptIns(plain)).toEqual({ allowClusterAdmin: false, clusterAdmin: [], privileged: [], clusterRoles: {} });

  const suite = suiteSchema.parse({
    name: 's',
    allowClusterAdmin: true,
    validators: [v('a', {}), v('root', { clusterRole: 'cluster-admin' }), v('dev', { privileged: true }), v('edit', { clusterRole: 'edit' })],
  });
  const optIns = securityOptIns(suite);
  expect(optIns).toEqual({ allowClusterAdmin: true, clusterAdmin: ['root'], privileged: ['dev'], clusterRoles: { root: 'cluster-admin', edit: 'edit' } });
  const report = buildReport(results, { ...meta, extra: { optIns } });
  expect(report.results.extra).toEqual({ optIns });
  expect(ctrfProblems(report)).toEqual([]);
});
