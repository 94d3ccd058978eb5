import { emptyHistory, historyBudgetBytes, recordRun, runsOf, summarizeRun, type RunSummary, type SuiteHistory } from '../../src/core/history';
import type { ValidatorResult } from '../../src/core/result';
import { utf8Bytes } from '../../src/core/bytes';

const summary = (runId: string, start: number, validators: RunSummary['validators'], keep = 100): RunSummary => ({ runId, start, stop: start + 10, status: 'passed', keep, validators });
const ok = (name: string, durationMs = 100) => ({ name, status: 'passed' as const, durationMs, exitCode: 0 });
const fold = (summaries: RunSummary[], from: SuiteHistory = emptyHistory('s', 'c')) => summaries.reduce(recordRun, from);

test('a run is recorded once, whatever order the signals come in', () => {
  const h = fold([summary('b', 2, [ok('x')]), summary('a', 1, [ok('x')]), summary('b', 2, [ok('x', 999)])]);
  expect(runsOf(h).map((r) => r.runId)).toEqual(['b', 'a']);
  expect(runsOf(h)[0].validators).toEqual([ok('x')]);
});

test('the newest `keep` runs stay, the last summary saying how many', () => {
  const h = fold(Array.from({ length: 12 }, (_, i) => summary(`r${i}`, i, [ok('x')], i < 11 ? 10 : 5)));
  expect(runsOf(h).map((r) => r.runId)).toEqual(['r11', 'r10', 'r9', 'r8', 'r7']);
  expect(h.keep).toBe(5);
});

test('names are stored once, and a name no kept run uses is dropped', () => {
  const h = fold([summary('old', 1, [ok('renamed')], 1), summary('new', 2, [ok('x'), { name: 'y', status: 'other', durationMs: 5, exitCode: -1, reason: 'Evicted' }], 1)]);
  expect(h.names).toEqual(['x', 'y']);
  expect(runsOf(h)).toEqual([{ runId: 'new', start: 2, stop: 12, status: 'passed', validators: [ok('x'), { name: 'y', status: 'other', durationMs: 5, exitCode: -1, reason: 'Evicted' }] }]);
});

test('a history that would outgrow its budget drops its oldest runs, and counts them', () => {
  // 500 validators with 63-character names and long reasons: far more than 1 MiB over 100 runs.
  const validators = Array.from({ length: 500 }, (_, i) => ({ name: `${'v'.repeat(59)}${String(i).padStart(4, '0')}`, status: 'other' as const, durationMs: 123_456_789, exitCode: -1, reason: 'R'.repeat(60) }));
  const h = fold(Array.from({ length: 100 }, (_, i) => summary(`run-${i}`, i, validators)));
  expect(utf8Bytes(JSON.stringify(h))).toBeLessThanOrEqual(historyBudgetBytes);
  expect(h.runs.length + h.droppedForSize).toBe(100);
  expect(h.droppedForSize).toBeGreaterThan(0);
  expect(runsOf(h)[0].runId).toBe('run-99');
});

test('a typical large suite keeps at least 90 runs within the budget', () => {
  // 500 validators, 30-character names, mostly passing in under a minute.
  const validators = Array.from({ length: 500 }, (_, i) => ok(`validator-${String(i).padStart(20, '0')}`, 45_000 + i));
  const h = fold(Array.from({ length: 100 }, (_, i) => summary(`nightly-20261204T020000Z-${i}`, i, validators)));
  expect(h.runs.length).toBeGreaterThanOrEqual(90);
});

test('a summary keeps each validator’s status, duration, exit code and reason', () => {
  const results: ValidatorResult[] = [
    { name: 'a', phase: 'readiness', status: 'failed', exitCode: 1, reason: 'Error', message: 'm', stdout: ['x'], durationMs: 12 },
    { name: 'b', phase: 'readiness', status: 'passed', exitCode: 0, message: '', stdout: [], durationMs: 3 },
  ];
  expect(summarizeRun({ runId: 'r', start: 1, stop: 2, status: 'failed', keep: 100 }, results).validators).toEqual([
    { name: 'a', status: 'failed', durationMs: 12, exitCode: 1, reason: 'Error' },
    { name: 'b', status: 'passed', durationMs: 3, exitCode: 0 },
  ]);
});
