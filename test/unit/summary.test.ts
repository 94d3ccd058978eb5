import { historyGrid, runListLines, summaryTable, validatorStateLines } from '../../src/cli/summary';
import { buildReport } from '../../src/core/ctrf';
import { runInsights } from '../../src/core/insights';

const started = new Date('2026-12-04T02:00:00.123Z');

test('a long run ID comes last and widens no other column', () => {
  const short = { runId: 'nightly-1', suite: 'gpu', status: 'failed', failed: 2, started };
  const long = { ...short, runId: `nightly-${'x'.repeat(200)}`, status: 'passed', failed: 0 };
  const lines = runListLines([short, long]);
  expect(lines).toEqual([
    'STARTED               STATUS  FAILED  SUITE  RUN',
    '2026-12-04T02:00:00Z  failed  2       gpu    nightly-1',
    `2026-12-04T02:00:00Z  passed  0       gpu    ${long.runId}`,
  ]);
});

test('a running run with no failed count yet shows an empty cell', () => {
  const [, row] = runListLines([{ runId: 'r', suite: 'smoke', status: 'running', started }]);
  expect(row).toBe('2026-12-04T02:00:00Z  running          smoke  r');
});

test('validator states line up, with the reason when there is one', () => {
  expect(
    validatorStateLines([
      { name: 'nodes', phase: 'readiness', state: 'passed' },
      { name: 'gpu-burn', phase: 'performance', state: 'other', reason: 'ImagePullBackOff' },
    ]),
  ).toEqual(['PHASE        VALIDATOR  STATE   REASON', 'readiness    nodes      passed', 'performance  gpu-burn   other   ImagePullBackOff']);
});

test('the history grid shows each validator per run, newest first, with passes and flips', () => {
  const run = (runId: string, start: number, status: string, validators: [string, 'passed' | 'failed' | 'skipped' | 'other'][]) => ({
    runId,
    start,
    stop: start,
    status,
    validators: validators.map(([name, s]) => ({ name, status: s, durationMs: 1, exitCode: 0 })),
  });
  const lines = historyGrid([
    run('n3', Date.UTC(2026, 11, 4, 2), 'failed', [['dns', 'failed'], ['gpu', 'passed'], ['new', 'other']]),
    run('n2', Date.UTC(2026, 11, 3, 2), 'passed', [['dns', 'passed'], ['gpu', 'skipped']]),
    run('n1', Date.UTC(2026, 11, 2, 2), 'failed', [['dns', 'failed'], ['gpu', 'passed']]),
  ]);
  expect(lines).toEqual([
    'VALIDATOR  1  2  3  PASSED  FLIPS',
    'dns        ✗  ✓  ✗  1/3     2',
    'gpu        ✓  -  ✓  2/2     0',
    'new        !  ·  ·  0/1     0',
    '',
    'RUN  STARTED               STATUS  ID',
    '1    2026-12-04T02:00:00Z  failed  n3',
    '2    2026-12-03T02:00:00Z  passed  n2',
    '3    2026-12-02T02:00:00Z  failed  n1',
    '',
    '✓ passed  ✗ failed  - skipped  ! other  · not in that run',
  ]);
});

test('a report with a baseline says what changed since that run', () => {
  const history = [{ runId: 'last-night', reportId: '00000000-0000-4000-8000-000000000001', start: 0, stop: 1, status: 'passed', validators: [{ name: 'a', status: 'passed' as const, durationMs: 1, exitCode: 0 }, { name: 'b', status: 'passed' as const, durationMs: 1, exitCode: 0 }] }];
  const results = (['failed', 'passed'] as const).map((status, i) => ({ name: 'ab'[i], phase: 'deployment' as const, status, exitCode: status === 'passed' ? 0 : 1, message: '', stdout: [], durationMs: 1 }));
  const insights = runInsights({ start: 2, stop: 3, validators: results }, history);
  const table = summaryTable(buildReport(results, { reportId: 'r', start: 2, stop: 3, toolVersion: 't', insights }));
  expect(table.split('\n').at(-1)).toBe('against run last-night: 1 newly failing, 1 unchanged (verdict diff for each validator)');
  expect(summaryTable(buildReport(results, { reportId: 'r', start: 2, stop: 3, toolVersion: 't' })).split('\n').at(-1)).toBe('2 validators: 1 passed, 1 failed, 0 skipped, 0 other');
});
