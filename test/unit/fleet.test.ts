// A fleet run's input, status, matrix and report: pure rules.
import { clusterRunId, fleetInputSchema, fleetMatrix, fleetReport, fleetStatus, matrixLines, maxFleetClusters, type ClusterOutcome } from '../../src/core/fleet';
import { describeIssues } from '../../src/core/spec';

const suite = { name: 'gpu', validators: [{ name: 'ok', phase: 'readiness', image: 'x' }, { name: 'nccl', phase: 'performance', image: 'x' }] };
const outcomes: ClusterOutcome[] = [
  { cluster: 'a', status: 'passed', runId: 'f@a', execution: 'e', summary: { tests: 2, passed: 2, failed: 0, skipped: 0, pending: 0, other: 0, start: 10, stop: 40 }, validators: { ok: 'passed', nccl: 'passed' } },
  { cluster: 'b', status: 'failed', runId: 'f@b', execution: 'e', summary: { tests: 2, passed: 1, failed: 1, skipped: 0, pending: 0, other: 0, start: 10, stop: 50 }, validators: { ok: 'passed', nccl: 'failed' } },
  { cluster: 'c', status: 'unavailable', message: 'no worker polled task queue verdict-c within 2m' },
];

test('the input names each cluster once, at most the limit, with a duration for unavailability', () => {
  const problems = (input: object) => {
    const r = fleetInputSchema.safeParse(input);
    return r.success ? '' : describeIssues(r.error);
  };
  expect(fleetInputSchema.parse({ suite, clusters: ['a'] }).unavailableAfter).toBe('2m');
  expect(problems({ suite, clusters: [] })).toContain('clusters: name at least one cluster');
  expect(problems({ suite, clusters: ['a', 'a'] })).toContain('clusters: each cluster may be named once');
  expect(problems({ suite, clusters: Array.from({ length: maxFleetClusters + 1 }, (_, i) => `c${i}`) })).toContain(`at most ${maxFleetClusters} clusters`);
  expect(problems({ suite, clusters: ['a'], unavailableAfter: 'soon' })).toContain('unavailableAfter: must be a duration');
  expect(clusterRunId('nightly-1', 'gpu-a')).toBe('nightly-1@gpu-a');
});

test('the fleet passes only when every cluster passed; a cancelled fleet says so', () => {
  expect(fleetStatus(outcomes.slice(0, 1), false)).toBe('passed');
  expect(fleetStatus(outcomes, false)).toBe('failed');
  expect(fleetStatus(outcomes.slice(0, 1), true)).toBe('cancelled');
});

test('the matrix shows which clusters fail what, and the report a test per cluster with the runs in extra', () => {
  const matrix = fleetMatrix(['ok', 'nccl'], outcomes);
  expect(matrix.statuses).toEqual({ ok: { a: 'passed', b: 'passed', c: undefined }, nccl: { a: 'passed', b: 'failed', c: undefined } });
  expect(matrixLines(matrix)).toEqual([
    'validator  a            b            c',
    'ok         passed       passed       -',
    'nccl       passed       failed       -',
  ]);
  const fleet = fleetInputSchema.parse({ suite, clusters: ['a', 'b', 'c'] });
  const report = fleetReport(fleet, outcomes, { reportId: 'r', start: 0, stop: 60, toolVersion: 't', runId: 'f', status: 'failed' });
  expect(report.results.tests.map((t) => [t.name, t.status, t.rawStatus, t.duration])).toEqual([
    ['a', 'passed', 'passed', 30],
    ['b', 'failed', 'failed', 40],
    ['c', 'other', 'unavailable', 0],
  ]);
  expect(report.results.summary).toMatchObject({ tests: 3, passed: 1, failed: 1, other: 1 });
  expect(report.results.extra).toMatchObject({ runId: 'f', suite: 'gpu', status: 'failed', fleet: { clusters: outcomes, matrix } });
});
