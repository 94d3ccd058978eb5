import { buildReport } from '../../src/core/ctrf';
import type { HistoryRun } from '../../src/core/history';
import { insightWindow, runInsights } from '../../src/core/insights';
import type { Status } from '../../src/core/result';
import { ctrfProblems } from '../fixtures/ctrf-schema';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const v = (name: string, status: Status, durationMs = 1000) => ({ name, status, durationMs, exitCode: status === 'passed' ? 0 : 1 });
/** Earlier runs, newest first: run n started at n hours. */
const earlier = (rows: ReturnType<typeof v>[][]): HistoryRun[] =>
  rows.map((validators, i) => ({ runId: `run-${rows.length - i}`, reportId: uuid(rows.length - i), start: (rows.length - i) * 3_600_000, stop: (rows.length - i) * 3_600_000 + 60_000, status: 'passed', validators }));

test('a first run, or one whose previous run has no report ID, has no baseline', () => {
  expect(runInsights({ start: 0, stop: 1, validators: [v('a', 'passed')] }, [])).toBeUndefined();
  expect(runInsights({ start: 0, stop: 1, validators: [v('a', 'passed')] }, [{ ...earlier([[v('a', 'passed')]])[0], reportId: undefined }])).toBeUndefined();
});

test('each validator: its change from the previous run, pass and flip rates with and without this run, slower than its median', () => {
  const history = earlier([
    [v('breaks', 'passed'), v('flaps', 'failed'), v('slows', 'passed', 1000), v('heals', 'failed')],
    [v('breaks', 'passed'), v('flaps', 'passed'), v('slows', 'passed', 1200), v('heals', 'failed')],
    [v('breaks', 'passed'), v('flaps', 'failed'), v('slows', 'passed', 900), v('heals', 'failed')],
  ]);
  const now = { start: 4 * 3_600_000, stop: 4 * 3_600_000 + 120_000, validators: [v('breaks', 'failed'), v('flaps', 'passed'), v('slows', 'passed', 5000), v('heals', 'passed'), v('new', 'passed')] };
  const r = runInsights(now, history)!;
  expect(r.baseline).toEqual({ reportId: uuid(3), timestamp: new Date(3 * 3_600_000 + 60_000).toISOString(), source: 'verdict run run-3', extra: { runId: 'run-3' } });
  expect(Object.fromEntries(Object.entries(r.tests).map(([name, t]) => [name, t.extra.change]))).toEqual({ breaks: 'newly failing', flaps: 'fixed', slows: 'slower', heals: 'fixed', new: 'added' });
  // flaps: passed now, then failed, passed, failed: 3 flips over 3 steps now, 2 over 2 before.
  expect(r.tests.flaps.flakyRate).toEqual({ current: 1, baseline: 1, change: 0 });
  expect(r.tests.flaps.passRate).toEqual({ current: 0.5, baseline: 0.333, change: 0.167 });
  expect(r.tests.breaks.flakyRate).toEqual({ current: 0.333, baseline: 0, change: 0.333 });
  expect(r.tests.slows.extra.medianDurationMs).toBe(1000);
  expect(r.tests.slows.averageTestDuration).toEqual({ current: 2025, baseline: 1033.333, change: 991.667 });
  expect(r.tests.new).toMatchObject({ executedInRuns: 1, passRate: { current: 1, baseline: 0 } });
  expect(r.insights).toMatchObject({ runsAnalyzed: 3, passRate: { current: 0.8, baseline: 0.5 }, failRate: { current: 0.2, baseline: 0.5 }, averageRunDuration: { current: 120_000, baseline: 60_000 } });
  expect(r.insights.extra.changes).toEqual({ 'newly failing': 1, fixed: 2, slower: 1, added: 1 });
});

test(`rates look back ${insightWindow} runs at most`, () => {
  const history = earlier(Array.from({ length: 30 }, (_, i) => [v('a', i < insightWindow ? 'passed' : 'failed')]));
  expect(runInsights({ start: 0, stop: 1, validators: [v('a', 'passed')] }, history)!.tests.a).toMatchObject({ executedInRuns: insightWindow + 1, passRate: { current: 1, baseline: 1 } });
});

test("the report carries them in CTRF's own fields, and CTRF's validator accepts it", () => {
  const history = earlier([[v('a', 'passed'), v('b', 'passed')]]);
  const insights = runInsights({ start: 0, stop: 1, validators: [v('a', 'failed'), v('b', 'passed')] }, history)!;
  const results = [
    { name: 'a', phase: 'deployment' as const, status: 'failed' as const, exitCode: 1, message: 'x', stdout: [], durationMs: 1000 },
    { name: 'b', phase: 'deployment' as const, status: 'passed' as const, exitCode: 0, message: '', stdout: [], durationMs: 1000 },
  ];
  const report = buildReport(results, { reportId: uuid(9), start: 0, stop: 1, toolVersion: '0.1.0', insights });
  expect(report.baseline?.reportId).toBe(uuid(1));
  expect(report.insights?.runsAnalyzed).toBe(1);
  expect(report.results.tests[0].insights?.extra.change).toBe('newly failing');
  expect(ctrfProblems(report)).toEqual([]);
});
