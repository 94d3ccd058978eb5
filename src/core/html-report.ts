// `verdict report --format html`: a run's CTRF report as a page people read. The summary and what
// changed since the previous run first, then the problems, then each phase's validators (status,
// reason, message, duration, node, a strip of their recent runs) with sub-tests, earlier attempts
// and stdout folded away. One self-contained file: inline CSS, no script, and a
// Content-Security-Policy that lets it fetch nothing, so it reads the same from a disk, a mail or
// a CI artifact. Pure.
import type { CtrfReport } from './ctrf';
import { changes, type Change } from './diff';
import type { HistoryRun } from './history';
import { absentSymbol, statusSymbols, validatorRows } from './history-grid';
import { html, type Html, type HtmlValue } from './html';
import { reportCss } from './html-report-css';
import { changeMark, percent, phaseOf, plural, statusCounts, statuses, text, took, when } from './html-report-format';
import { validator, type Strips } from './html-report-validator';
import { insightWindow } from './insights';
import type { Status } from './result';

export interface HtmlReportOptions {
  /** The suite's runs on the run's cluster, newest first (as runsOf gives them): each validator's strip. Without it, no strips. */
  history?: HistoryRun[];
  /** Why the history could not be read, said in the summary. */
  historyProblem?: string;
}

/** Runs a strip shows: this one and the window its insights were computed over. */
export const stripRuns = insightWindow + 1;

/** The run's own status (passed, failed, cancelled), else what its validators say. */
function runStatus(report: CtrfReport): string {
  const s = report.results.summary;
  return text(report.results.extra?.status) ?? (s.failed || s.other ? 'failed' : 'passed');
}
const statusClass = (status: string): Status => (status === 'passed' || status === 'failed' ? status : 'other');

export function htmlReport(report: CtrfReport, options: HtmlReportOptions = {}): string {
  const extra = report.results.extra ?? {};
  const suite = text(extra.suite) ?? 'verdict';
  const status = runStatus(report);
  const strips = options.history && stripsOf(report, options.history);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${suite}: ${status} (${text(extra.runId) ?? report.reportId})</title>
<style>${reportCss}</style>
</head>
<body>
${summary(report, status, options.historyProblem)}
${problems(extra.problems)}
${phases(report, strips)}
${strips ? legend() : ''}
</body>
</html>
`;
  return page.markup;
}

function summary(report: CtrfReport, status: string, historyProblem?: string): Html {
  const s = report.results.summary;
  const extra = report.results.extra ?? {};
  const cls = statusClass(status);
  const count = (key: 'passed' | 'failed' | 'skipped' | 'other' | 'pending', label: HtmlValue) => html`<li class="count ${key}"><b data-count="${key}">${s[key]}</b>${label}</li>`;
  const facts: [string, HtmlValue][] = [
    ['run', text(extra.runId) && html`<span class="mono">${text(extra.runId)}</span>`],
    ['started', when(s.start)],
    ['stopped', `${when(s.stop)}, after ${took(s.stop - s.start)}`],
    ['started by', text(extra.startedBy)],
    ['schedule', text(extra.schedule)],
    ['cancelled by', text(extra.cancelledBy)],
    ['labels', labels(extra.labels)],
    ['policy', text((extra.policy as { preset?: unknown } | undefined)?.preset)],
    ['security opt-ins', optIns(extra.optIns)],
    ['history', historyProblem && `not shown: ${historyProblem}`],
    ['report', html`<span class="mono">${report.reportId}</span>, ${report.generatedBy}, CTRF ${report.specVersion}`],
  ];
  return html`<header class="run">
<h1><span class="badge ${cls}">${statusSymbols[cls]} ${status}</span> suite ${text(extra.suite) ?? '(unnamed)'}${text(extra.cluster) && html` <span class="note">on cluster ${text(extra.cluster)}</span>`}</h1>
<ul class="counts">
<li class="count total"><b data-count="tests">${s.tests}</b>validators</li>
${statuses.map((st) => count(st, `${statusSymbols[st]} ${st}`))}
${s.pending ? count('pending', 'pending') : ''}
</ul>
${attention(report)}
${sinceBaseline(report)}
<dl class="facts">${facts.filter(([, v]) => v).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
</header>`;
}

/** The validators that did not pass, each a link to its row: where the reader goes first. */
function attention(report: CtrfReport): HtmlValue {
  const tests = report.results.tests.map((t, i) => ({ t, i })).filter(({ t }) => t.status === 'failed' || t.status === 'other');
  if (!tests.length) return undefined;
  return html`<p class="attention"><b>Not passed:</b> ${tests.map(({ t, i }, n) => html`${n ? ', ' : ''}<a href="#${rowId(i)}" class="${t.status}">${statusSymbols[t.status]} ${t.name}</a>`)}</p>`;
}

/** A validator's row, by its place in the report: its name may hold any character. */
const rowId = (index: number) => `validator-${index + 1}`;

function labels(value: unknown): HtmlValue {
  const entries = value && typeof value === 'object' ? Object.entries(value as Record<string, unknown>) : [];
  return entries.length ? entries.map(([k, v], i) => html`${i ? ', ' : ''}<span class="mono">${k}=${String(v)}</span>`) : undefined;
}

function optIns(value: unknown): HtmlValue {
  const o = value as { allowClusterAdmin?: boolean; clusterAdmin?: string[]; privileged?: string[]; clusterRoles?: Record<string, string> } | undefined;
  if (!o) return undefined;
  const roles = Object.entries(o.clusterRoles ?? {}).filter(([, role]) => role !== 'cluster-admin');
  const parts = [
    o.clusterAdmin?.length && `cluster-admin: ${o.clusterAdmin.join(', ')}`,
    o.privileged?.length && `privileged: ${o.privileged.join(', ')}`,
    roles.length && `other roles: ${roles.map(([v, role]) => `${v} (${role})`).join(', ')}`,
  ].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join('; ') : undefined;
}

/** What changed since the previous run of the suite on the cluster, validator by validator. */
function sinceBaseline({ baseline, insights, results }: CtrfReport): Html {
  if (!baseline || !insights) return html`<p class="since note">No earlier run of this suite on this cluster to compare with.</p>`;
  const named = (c: Change) => results.tests.filter((t) => t.insights?.extra.change === c).map((t) => t.name);
  const counts = insights.extra.changes;
  const listed = [...changes, 'unchanged' as const].filter((c) => counts[c]);
  const rate = insights.passRate;
  const usual = insights.averageRunDuration;
  return html`<div class="since"><b>Since run <span class="mono">${baseline.extra.runId}</span></b> <span class="note">(ended ${when(Date.parse(baseline.timestamp))})</span>:
${listed.map((c, i) => html`${i ? ', ' : ''}${counts[c]}&nbsp;${changeMark(c)}`)}.
<span class="note">Validators passing: ${percent(rate.current)} (was ${percent(rate.baseline)}); the ${plural(insights.runsAnalyzed, 'run')} before took ${took(usual.baseline)} on average.</span>
<ul>${listed.filter((c) => c !== 'unchanged' && named(c).length).map((c) => html`<li>${changeMark(c)}: ${named(c).join(', ')}</li>`)}</ul></div>`;
}

function problems(value: unknown): Html | '' {
  const list = Array.isArray(value) ? value.map(String) : [];
  if (!list.length) return '';
  return html`<section class="problems"><h2>⚠ ${plural(list.length, 'problem')} the run could not help</h2><ul>${list.map((p) => html`<li>${p}</li>`)}</ul></section>`;
}

/** This run from its report, after the runs of the history that came before it (a report read later ignores later runs). */
function stripsOf(report: CtrfReport, history: HistoryRun[]): Strips {
  const runId = text(report.results.extra?.runId) ?? report.reportId;
  const { start, stop } = report.results.summary;
  const earlier = history.filter((r) => r.runId !== runId && r.start < start).slice(0, stripRuns - 1);
  const validators = report.results.tests.map((t) => ({ name: t.name, status: t.status, durationMs: t.duration, exitCode: t.extra?.exitCode ?? -1 }));
  const runs = [{ runId, start, stop, status: runStatus(report), validators }, ...earlier].reverse();
  return { runs, rows: new Map(validatorRows(runs).map((r) => [r.name, r])) };
}

function phases(report: CtrfReport, strips: Strips | undefined): Html {
  const tests = report.results.tests;
  const header = ['status', 'validator', 'reason', 'message', 'duration', 'node'];
  const historyHeader = strips && html`<th class="history">history <span class="note">oldest → newest</span></th>`;
  const columns = header.length + (strips ? 1 : 0);
  // The same widths in every phase's table, so the columns line up down the page; the message takes the rest.
  const cols = html`<colgroup>${header.map((h) => html`<col class="col-${h}">`)}${strips && html`<col style="width: ${Math.max(160, strips.runs.length * 14 + 24)}px">`}</colgroup>`;
  const index = new Map(tests.map((t, i) => [t, i]));
  return html`${[...new Set(tests.map(phaseOf))].map((phase) => {
    const mine = tests.filter((t) => phaseOf(t) === phase);
    return html`<section class="phase" data-phase="${phase}">
<h2>${phase} <span class="note">${plural(mine.length, 'validator')}: ${statusCounts(mine)}</span></h2>
<table class="validators">
${cols}
<thead><tr>${header.map((h) => html`<th>${h}</th>`)}${historyHeader}</tr></thead>
${mine.map((t) => validator(t, rowId(index.get(t)!), columns, strips))}
</table>
</section>`;
  })}`;
}

function legend(): Html {
  const cell = (cls: string, symbol: string, label: string) => html`<span><span class="cell ${cls}">${symbol}</span>${label}</span>`;
  return html`<footer class="legend note">${statuses.map((s) => cell(s, statusSymbols[s], s))}${cell('absent', absentSymbol, 'not in that run')}${cell('passed current', statusSymbols.passed, 'this run')}</footer>`;
}
