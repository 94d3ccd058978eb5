// One validator in the HTML report: its row (status and change, name, reason, message, duration,
// node, history strip) and beneath it what is folded away: sub-tests, earlier attempts, stdout. Pure.
import type { CtrfRetryAttempt, CtrfTest } from './ctrf';
import type { HistoryRun } from './history';
import { absentSymbol, statusSymbols, type ValidatorRow } from './history-grid';
import { html, type Html, type HtmlValue } from './html';
import { badge, changeMark, plural, statusCounts, took, when } from './html-report-format';
import type { SubTest } from './result';


/** The runs of every validator's strip and each one's statuses in them. */
export interface Strips {
  /** Oldest first: a strip reads left to right, this run last. */
  runs: HistoryRun[];
  rows: Map<string, ValidatorRow>;
}

export function validator(t: CtrfTest, id: string, columns: number, strips: Strips | undefined): Html {
  const x = t.extra;
  const causes = [x?.podReason, x?.jobReason].filter((r) => r && r !== x?.reason);
  const exit = x === undefined ? undefined : x.exitCode >= 0 ? `exit code ${x.exitCode}` : 'never exited';
  const median = t.insights?.extra.medianDurationMs;
  // The status with how it changed since the previous run, read together.
  const cells = html`<td class="status">${badge(t.status)}${t.insights && html`<div>${changeMark(t.insights.extra.change)}</div>`}${retried(t)}</td>
<td class="name"><b>${t.name}</b>${x?.jobName && html`<div class="note mono">${x.jobName}</div>`}</td>
<td class="reason">${x?.reason && html`<b>${x.reason}</b>`}${causes.map((c) => html`<div class="note">${c}</div>`)}${exit && html`<div class="note">${exit}</div>`}</td>
<td class="message">${message(t.message)}</td>
<td class="duration">${took(t.duration)}${median !== undefined && html`<div class="note">median ${took(median)}</div>`}</td>
<td class="node">${x?.node ?? '—'}</td>
${strips && html`<td class="history">${strip(strips, t.name)}</td>`}`;
  const more = details(t);
  return html`<tbody class="validator ${t.status}" id="${id}" data-validator="${t.name}">
<tr>${cells}</tr>
${more && html`<tr class="details"><td colspan="${columns}">${more}</td></tr>`}
</tbody>`;
}

/** Which attempt the result is and whether it passed only on a retry: "on attempt 2, flaky". */
function retried(t: CtrfTest): HtmlValue {
  if (!t.retries) return t.flaky && html` <span class="badge flaky">flaky</span>`;
  return html`<div class="note">on attempt ${t.retries + 1}${t.flaky && html`, <span class="badge flaky">flaky</span>`}</div>`;
}

/** A short message in full; a long one by its first line, the rest folded. */
function message(m: string | undefined): HtmlValue {
  if (!m) return undefined;
  const first = m.split('\n')[0];
  if (first === m && m.length <= 240) return m;
  return html`<details><summary>${first.length > 160 ? `${first.slice(0, 160)}…` : first}</summary><pre>${m}</pre></details>`;
}

function details(t: CtrfTest): Html | undefined {
  const subTests = t.extra?.tests ?? [];
  const omitted = t.extra?.testsOmitted ?? 0;
  const attempts = t.retryAttempts ?? [];
  const stdout = t.stdout ?? [];
  if (!subTests.length && !omitted && !attempts.length && !stdout.length) return undefined;
  const kept = t.extra?.stdoutTruncated ? `, the last ${plural(stdout.length, 'line')} kept of a longer output` : '';
  return html`${subTests.length || omitted ? subTestTable(subTests, omitted) : ''}
${attempts.length ? html`<div class="note">earlier ${attempts.length === 1 ? 'attempt' : 'attempts'}:</div><ol class="attempts">${attempts.map(attempt)}</ol>` : ''}
${stdout.length ? html`<details class="stdout"><summary>stdout (${plural(stdout.length, 'line')}${kept})</summary><pre>${stdout.join('\n')}</pre></details>` : ''}`;
}

function attempt(a: CtrfRetryAttempt): Html {
  const where = [a.extra?.reason, a.extra?.node && `on ${a.extra.node}`].filter(Boolean).join(' ');
  return html`<li value="${a.attempt}">${badge(a.status)} after ${took(a.duration)}${where && ` ${where}`}${a.message && html`: ${a.message}`}</li>`;
}

/** Sub-tests listed in the open up to this many; past it the whole list is folded, the failed ones shown above it. */
export const openSubTests = 25;

function subTestTable(tests: SubTest[], omitted: number): Html {
  const title = `${plural(tests.length + omitted, 'sub-test')}: ${statusCounts(tests)}${omitted ? `, ${omitted} not kept in the report` : ''}`;
  const table = (list: SubTest[]) => html`<table class="subtests"><thead><tr><th>status</th><th>sub-test</th><th>duration</th><th>output</th></tr></thead><tbody>${list.map(subTest)}</tbody></table>`;
  const all = tests.length ? table(tests) : '';
  if (tests.length <= openSubTests) return html`<details class="subtests-list" open><summary>${title}</summary>${all}</details>`;
  const failed = tests.filter((s) => s.status === 'failed');
  return html`${failed.length ? html`<div class="note">failed sub-tests:</div>${table(failed)}` : ''}<details class="subtests-list"><summary>${title}</summary>${all}</details>`;
}

const subTest = (s: SubTest) => html`<tr class="subtest ${s.status}"><td>${badge(s.status)}</td><td class="mono">${s.name}</td><td>${took(s.durationMs)}</td>
<td>${s.output?.length ? html`<details><summary>output (${plural(s.output.length, 'line')})</summary><pre>${s.output.join('\n')}</pre></details>` : ''}</td></tr>`;

function strip(strips: Strips, name: string): Html {
  const row = strips.rows.get(name);
  if (!row) return html``;
  const last = strips.runs.length - 1;
  const cells = row.statuses.map((s, i) => {
    const run = strips.runs[i];
    const title = `${i === last ? 'this run' : `run ${run.runId}`}, ${when(run.start)}: ${s ?? 'not in that run'}`;
    return html`<span class="cell ${s ?? 'absent'}${i === last ? ' current' : ''}" title="${title}">${s ? statusSymbols[s] : absentSymbol}</span>`;
  });
  const rate = row.ran ? `passed ${row.passed} of ${row.ran}, ${plural(row.flips, 'flip')}` : 'ran in none (skipped)';
  return html`<div class="strip">${cells}</div><div class="note">${rate}</div>`;
}
