import { diffLines } from '../../src/cli/summary';
import { buildReport } from '../../src/core/ctrf';
import { compareRuns, countChanges } from '../../src/core/diff';
import type { Status, ValidatorResult } from '../../src/core/result';

const result = (name: string, status: Status, durationMs = 1000): ValidatorResult => ({ name, phase: 'deployment', status, exitCode: status === 'passed' ? 0 : 1, message: '', stdout: [], durationMs });
const report = (results: ValidatorResult[]) => buildReport(results, { reportId: 'r', start: 0, stop: 1, toolVersion: 't' });

const before = report([result('breaks', 'passed'), result('heals', 'failed'), result('stuck', 'other'), result('slows', 'passed', 2000), result('steady', 'passed'), result('gone', 'passed'), result('skips', 'failed')]);
const now = report([result('breaks', 'failed'), result('heals', 'passed'), result('stuck', 'failed'), result('slows', 'passed', 3500), result('steady', 'passed', 1400), result('new', 'passed'), result('skips', 'skipped')]);

test('each validator gets its change: failing is failed or other; slower is 1.5 times and a second more', () => {
  expect(compareRuns(now, before).map((d) => [d.name, d.change])).toEqual([
    ['breaks', 'newly failing'],
    ['heals', 'fixed'],
    ['stuck', 'still failing'],
    ['slows', 'slower'],
    ['steady', 'unchanged'],
    ['new', 'added'],
    ['skips', 'status changed'],
    ['gone', 'removed'],
  ]);
});

test('a validator only one run has keeps the status and duration it has', () => {
  const diff = compareRuns(now, before);
  expect(diff.find((d) => d.name === 'new')).toEqual({ name: 'new', phase: 'deployment', change: 'added', now: 'passed', durationMs: 1000 });
  expect(diff.find((d) => d.name === 'gone')).toEqual({ name: 'gone', phase: 'deployment', change: 'removed', before: 'passed', previousDurationMs: 1000 });
});

test('a run compared with itself: what fails still fails, nothing else is listed', () => {
  expect(countChanges(compareRuns(now, now))).toEqual({ 'newly failing': 0, 'still failing': 2, fixed: 0, slower: 0, 'status changed': 0, added: 0, removed: 0, unchanged: 5 });
  const green = report([result('a', 'passed'), result('b', 'skipped')]);
  expect(diffLines(compareRuns(green, green))).toEqual(['nothing changed', '', '0 newly failing, 0 still failing, 0 fixed, 0 slower, 0 status changed, 0 added, 0 removed, 2 unchanged']);
});

test('the diff lists the urgent changes first, leaves unchanged validators to the counts', () => {
  expect(diffLines(compareRuns(now, before))).toEqual([
    'CHANGE          PHASE       VALIDATOR  BEFORE  NOW      DURATION',
    'newly failing   deployment  breaks     passed  failed   1.0s (was 1.0s)',
    'still failing   deployment  stuck      other   failed   1.0s (was 1.0s)',
    'fixed           deployment  heals      failed  passed   1.0s (was 1.0s)',
    'slower          deployment  slows      passed  passed   3.5s (was 2.0s)',
    'status changed  deployment  skips      failed  skipped  1.0s (was 1.0s)',
    'added           deployment  new        -       passed   1.0s',
    'removed         deployment  gone       passed  -        (was 1.0s)',
    '',
    '1 newly failing, 1 still failing, 1 fixed, 1 slower, 1 status changed, 1 added, 1 removed, 1 unchanged',
  ]);
});
