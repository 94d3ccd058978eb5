// How runs read on a terminal: a finished run's validators, and the list of runs.
import type { CtrfReport } from '../core/ctrf';
import { changes, countChanges, type ValidatorChange } from '../core/diff';
import type { HistoryRun } from '../core/history';
import { absentSymbol, statusSymbols, validatorRows } from '../core/history-grid';
import type { RunProgress } from '../client';

/** Rows padded into columns; the last column's padding is trimmed, so it may be any length. */
export function aligned(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
}

export function summaryTable(report: CtrfReport): string {
  const rows = report.results.tests.map((t) => [t.suite?.[0] ?? '', t.name, t.status, `${t.rawStatus ?? ''}${retried(t)}`, (t.message ?? '').split('\n')[0].slice(0, 70)]);
  const s = report.results.summary;
  const totals = `${s.tests} validators: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.other} other`;
  return [...aligned(['PHASE', 'VALIDATOR', 'STATUS', 'RESULT', 'MESSAGE'], rows), '', totals, ...sinceBaseline(report)].join('\n');
}

/** After a retry: which attempt the result is, and whether the validator passed only then. */
const retried = ({ retries, flaky }: CtrfReport['results']['tests'][number]) => (retries ? `, attempt ${retries + 1}${flaky ? ' (flaky)' : ''}` : '');

/** What changed since the previous run of the suite on the cluster, when the report has a baseline. */
function sinceBaseline({ baseline, insights }: CtrfReport): string[] {
  if (!baseline || !insights) return [];
  const counts = insights.extra.changes;
  const listed = [...changes, 'unchanged' as const].filter((c) => counts[c]).map((c) => `${counts[c]} ${c}`);
  return [`against run ${baseline.extra.runId}: ${listed.join(', ')} (verdict diff for each validator)`];
}

export interface RunRow {
  runId: string;
  suite: string;
  status: string;
  failed?: number;
  started: Date;
}

/** `verdict list`: the bounded columns first (a suite name is a DNS label), the run ID, of any length, last. */
export function runListLines(runs: RunRow[]): string[] {
  const rows = runs.map((r) => [r.started.toISOString().replace(/\.\d+Z$/, 'Z'), r.status, r.failed === undefined ? '' : String(r.failed), r.suite, r.runId]);
  return aligned(['STARTED', 'STATUS', 'FAILED', 'SUITE', 'RUN'], rows);
}

/** `verdict status`: each validator's state, and the reason when there is one. */
/** A validator's state, and which attempt is running when it is a retry. */
export const stateWithAttempt = (v: RunProgress['validators'][number]) => `${v.state}${v.state === 'running' && v.attempt ? ` (attempt ${v.attempt})` : ''}`;

export function validatorStateLines(validators: RunProgress['validators']): string[] {
  return aligned(['PHASE', 'VALIDATOR', 'STATE', 'REASON'], validators.map((v) => [v.phase, v.name, stateWithAttempt(v), v.reason ?? '']));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const duration = (d: ValidatorChange) =>
  [d.durationMs !== undefined && seconds(d.durationMs), d.previousDurationMs !== undefined && `(was ${seconds(d.previousDurationMs)})`].filter(Boolean).join(' ');

/** `verdict diff`: what changed, most urgent first (unchanged validators only counted), then the counts. */
export function diffLines(diff: ValidatorChange[]): string[] {
  const listed = changes.flatMap((c) => diff.filter((d) => d.change === c));
  const rows = listed.map((d) => [d.change, d.phase, d.name, d.before ?? '-', d.now ?? '-', duration(d)]);
  const counts = countChanges(diff);
  const totals = [...changes, 'unchanged' as const].map((c) => `${counts[c]} ${c}`).join(', ');
  return [...(rows.length ? aligned(['CHANGE', 'PHASE', 'VALIDATOR', 'BEFORE', 'NOW', 'DURATION'], rows) : ['nothing changed']), '', totals];
}

/** `verdict history`: validators by run, newest run first, with how often each passed and flipped, then the runs. */
export function historyGrid(runs: HistoryRun[]): string[] {
  const rows = validatorRows(runs).map((v) => [v.name, ...v.statuses.map((s) => (s ? statusSymbols[s] : absentSymbol)), `${v.passed}/${v.ran}`, String(v.flips)]);
  const header = ['VALIDATOR', ...runs.map((_, i) => String(i + 1)), 'PASSED', 'FLIPS'];
  const legend = aligned(['RUN', 'STARTED', 'STATUS', 'ID'], runs.map((r, i) => [String(i + 1), new Date(r.start).toISOString().replace(/\.\d+Z$/, 'Z'), r.status, r.runId]));
  const s = statusSymbols;
  return [...aligned(header, rows), '', ...legend, '', `${s.passed} passed  ${s.failed} failed  ${s.skipped} skipped  ${s.other} other  ${absentSymbol} not in that run`];
}
