// The HTML report as markup: what it shows, that report text can only be text, and that it
// refers to nothing outside itself. (test/integration/report-html.test.ts renders it in Chromium.)
import { buildReport } from '../../src/core/ctrf';
import type { HistoryRun } from '../../src/core/history';
import { htmlReport, stripRuns } from '../../src/core/html-report';
import { openSubTests } from '../../src/core/html-report-validator';
import { escapeHtml } from '../../src/core/html';
import { fixtureReport, history, results, runId, runStart, withRetry } from './fixtures/html-report';

const page = htmlReport(fixtureReport(), { history });

/** One validator's markup: its row and its details row. */
function rowsOf(markup: string, name: string): string {
  const chunk = markup.split('<tbody class="validator ').find((c) => c.includes(`data-validator="${name}"`));
  if (!chunk) throw new Error(`no rows for ${name}`);
  return chunk.split('</table>\n</section>')[0];
}
/** A strip's cells: status class, whether it is this run, the symbol shown. */
const cellsOf = (rows: string) => [...rows.matchAll(/<span class="cell (\w+)( current)?" title="([^"]*)">(.)<\/span>/g)].map((m) => [m[1], Boolean(m[2]), m[4]]);
const count = (markup: string, s: string) => markup.split(s).length - 1;

test('text from the report is escaped: a message holding <script> or </details> reads as text', () => {
  expect(page).not.toMatch(/<script/i);
  expect(page).toContain('lookup kubernetes.default: &lt;script&gt;alert(1)&lt;/script&gt;&lt;/details&gt; timed out');
  expect(page).toContain('<pre>&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;</pre>');
  expect(page).not.toContain('<img');
  expect(page).toContain('quote=&quot;&gt;&lt;b&gt;not bold&lt;/b&gt;');
  expect(page).toContain('TestBurn/&lt;gpu0&gt;');
  expect(page).toContain('the report could not be stored in a ConfigMap: &lt;forbidden&gt;');
  // Every fold the page opens it closes: none was closed by a message.
  expect(count(page, '<details')).toBe(count(page, '</details>'));
  expect(count(page, '<details')).toBeGreaterThan(5);
});

test('control characters and lone surrogates are dropped, other characters kept', () => {
  expect(escapeHtml('a\u0000b\u001bc\u007f\uD800d é 😀\ttab\nline')).toBe('abcd é 😀\ttab\nline');
});

test('nothing is fetched: no script, image, style sheet or link out, and a policy that forbids fetching', () => {
  expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  expect(page).not.toMatch(/<(script|link|img|iframe|object|embed|video|audio|source|form)\b/i);
  expect(page).not.toMatch(/@import|url\(/i);
  expect(page).not.toMatch(/https?:|wss?:|ftp:/i);
  expect(page).not.toMatch(/<[^>]*\s(src|srcset|action|formaction|poster|data|background)\s*=/i);
  // The only links are to the page's own rows.
  const hrefs = [...page.matchAll(/<[^>]*\shref="([^"]*)"/g)].map((m) => m[1]);
  expect(hrefs).toEqual(['#validator-2', '#validator-4', '#validator-6', '#validator-7', '#validator-8', '#validator-9']);
  for (const href of hrefs) expect(page).toContain(`id="${href.slice(1)}"`);
});

test("the counts are the report's summary, each under its own status", () => {
  const shown = (markup: string) => Object.fromEntries([...markup.matchAll(/<b data-count="(\w+)">(\d+)<\/b>([^<]*)</g)].map((m) => [m[1], [Number(m[2]), m[3]]]));
  expect(shown(page)).toEqual({ tests: [10, 'validators'], passed: [3, '✓ passed'], failed: [2, '✗ failed'], skipped: [1, '- skipped'], other: [4, '! other'] });
  const report = fixtureReport();
  report.results.summary.pending = 1;
  expect(shown(htmlReport(report)).pending).toEqual([1, 'pending']);
});

test('the summary names the suite, cluster, status, run, its times and who started it; problems listed', () => {
  const header = page.split('</header>')[0];
  expect(header).toMatch(/<h1><span class="badge failed">✗ failed<\/span> suite nightly <span class="note">on cluster gpu-east<\/span><\/h1>/);
  const facts = Object.fromEntries([...header.matchAll(/<dt>([^<]*)<\/dt><dd>(.*?)<\/dd>/g)].map((m) => [m[1], m[2]]));
  expect(facts).toMatchObject({
    run: `<span class="mono">${runId}</span>`,
    started: '2026-12-04 02:00:00 UTC',
    stopped: '2026-12-04 02:12:00 UTC, after 12m',
    'started by': 'ops@bastion (verdict CLI)',
    schedule: 'nightly',
    policy: 'default',
    'security opt-ins': 'privileged: gpu-burn',
  });
  expect(facts['cancelled by']).toBeUndefined();
  const cancelled = htmlReport(fixtureReport({ cancelledBy: 'alice@laptop (verdict CLI)', status: 'cancelled' }));
  expect(cancelled).toContain('<dt>cancelled by</dt><dd>alice@laptop (verdict CLI)</dd>');
  expect(cancelled).toContain('<h1><span class="badge other">! cancelled</span>');
  expect(header).toContain('<b>Not passed:</b> <a href="#validator-2" class="failed">✗ dns</a>, <a href="#validator-4" class="failed">✗ nccl</a>');
  expect(page).toMatch(/<section class="problems"><h2>⚠ 1 problem the run could not help<\/h2><ul><li>the report could not be stored/);
  expect(htmlReport(fixtureReport({ problems: [] }))).not.toContain('class="problems"');
});

test('what changed since the previous run; a first run says it has nothing to compare with', () => {
  expect(page).toContain('<b>Since run <span class="mono">nightly-1</span></b>');
  expect(page).toContain('<li><span class="change newly-failing">newly failing</span>: dns, nccl, image, oom, evicted, stuck</li>');
  expect(page).toContain('<li><span class="change slower">slower</span>: gpu-burn, e2e</li>');
  // Each validator's change is under its status.
  expect(rowsOf(page, 'dns')).toContain('<td class="status"><span class="badge failed">✗ failed</span><div><span class="change newly-failing">newly failing</span></div></td>');
  expect(rowsOf(page, 'e2e')).toContain('<div><span class="change slower">slower</span></div>');
  const first = htmlReport(buildReport(results, { reportId: 'r', start: runStart, stop: runStart + 1000, toolVersion: 't' }));
  expect(first).toContain('No earlier run of this suite on this cluster to compare with.');
  expect(first).not.toContain('class="change');
});

test('phases in the order the report has them, each validator under its own with status, reason, message, duration and node', () => {
  const phases = [...page.matchAll(/<section class="phase" data-phase="(\w+)">([\s\S]*?)<\/section>/g)].map((m) => [m[1], [...m[2].matchAll(/data-validator="([^"]+)"/g)].map((v) => v[1])]);
  expect(phases).toEqual([
    ['readiness', ['nodes-ready', 'dns']],
    ['performance', ['gpu-burn', 'nccl', 'rdma']],
    ['deployment', ['image', 'oom', 'evicted']],
    ['conformance', ['stuck', 'e2e']],
  ]);
  expect(page).toContain('<h2>performance <span class="note">3 validators: 1 passed, 1 failed, 1 skipped</span></h2>');
  const oom = rowsOf(page, 'oom');
  expect(oom).toContain('<td class="status"><span class="badge other">! other</span><div><span class="change newly-failing">newly failing</span></div></td>');
  expect(oom).toContain('<td class="reason"><b>OOMKilled</b><div class="note">exit code 137</div></td>');
  expect(oom).toContain('<td class="message">the container ran out of memory (OOMKilled)</td>');
  expect(oom).toContain('<td class="duration">1.5 s<div class="note">median 1.5 s</div></td>');
  expect(oom).toContain('<td class="node">kwok-node-1</td>');
  expect(rowsOf(page, 'image')).toContain('<td class="node">—</td>');
  expect(rowsOf(page, 'image')).toContain('<b>ImagePullBackOff</b><div class="note">never exited</div>');
  // A message of several lines shows its first, the rest folded.
  expect(rowsOf(page, 'nccl')).toContain('<details><summary>bandwidth 12 GB/s below 40 GB/s</summary><pre>bandwidth 12 GB/s below 40 GB/s\nring: 0 -&gt; 1 -&gt; 2\nsee the runbook</pre></details>');
});

test('stdout is folded away, saying how long it is and when only its end was kept', () => {
  expect(rowsOf(page, 'nodes-ready')).toContain('<details class="stdout"><summary>stdout (2 lines)</summary><pre>checking 3 nodes\nall ready</pre></details>');
  expect(rowsOf(page, 'e2e')).toContain('<summary>stdout (40 lines, the last 40 lines kept of a longer output)</summary>');
  expect(rowsOf(page, 'e2e')).toContain('<td class="duration">10m');
  expect(rowsOf(page, 'stuck')).not.toContain('stdout');
});

test('sub-tests are listed with status and duration, their output folded, the omitted ones counted', () => {
  const rows = rowsOf(page, 'gpu-burn');
  expect(rows).toContain('<details class="subtests-list" open><summary>5 sub-tests: 1 passed, 1 failed, 1 skipped, 2 not kept in the report</summary>');
  const subTests = [...rows.matchAll(/<tr class="subtest (\w+)"><td>.*?<\/td><td class="mono">(.*?)<\/td><td>(.*?)<\/td>/g)].map((m) => m.slice(1));
  expect(subTests).toEqual([
    ['passed', 'TestBurn/&lt;gpu0&gt;', '40.0 s'],
    ['failed', 'TestBurn/gpu1', '41.0 s'],
    ['skipped', 'TestECC', '0.0 s'],
  ]);
  expect(rows).toContain('<details><summary>output (1 line)</summary><pre>temperature 97C &gt; 90C</pre></details>');
  expect(rowsOf(page, 'dns')).not.toContain('sub-test');
});

test(`past ${openSubTests} sub-tests the list is folded, and the failed ones are shown above it`, () => {
  const many = Array.from({ length: openSubTests + 5 }, (_, i) => ({ name: `TestCase${i}`, status: i === 7 ? ('failed' as const) : ('passed' as const), durationMs: 10 }));
  const report = buildReport([{ ...results[0], tests: many }], { reportId: 'r', start: runStart, stop: runStart + 1000, toolVersion: 't' });
  const rows = rowsOf(htmlReport(report), 'nodes-ready');
  const [shown, folded] = rows.split('<details class="subtests-list">');
  expect(folded).toMatch(/^<summary>30 sub-tests: 29 passed, 1 failed<\/summary>/);
  expect(count(folded, '<tr class="subtest ')).toBe(30);
  expect(shown).toContain('<div class="note">failed sub-tests:</div>');
  expect([...shown.matchAll(/<td class="mono">(\w+)<\/td>/g)].map((m) => m[1])).toEqual(['TestCase7']);
});

test("each validator's strip: the runs up to this one, oldest first, this run last and marked, runs it was not in shown", () => {
  // nightly-later started after this run, so it is left out.
  expect(cellsOf(rowsOf(page, 'dns'))).toEqual([['passed', false, '✓'], ['failed', false, '✗'], ['passed', false, '✓'], ['failed', true, '✗']]);
  expect(cellsOf(rowsOf(page, 'nccl'))).toEqual([['absent', false, '·'], ['passed', false, '✓'], ['passed', false, '✓'], ['failed', true, '✗']]);
  expect(rowsOf(page, 'dns')).toContain('title="run nightly-3, 2026-12-01 02:00:00 UTC: passed"');
  expect(rowsOf(page, 'dns')).toContain('title="this run, 2026-12-04 02:00:00 UTC: failed"');
  expect(rowsOf(page, 'dns')).toContain('<div class="note">passed 2 of 4, 3 flips</div>');
  // A skipped run does not count as run.
  expect(rowsOf(page, 'rdma')).toContain('<div class="note">passed 2 of 2, 0 flips</div>');
  expect(rowsOf(htmlReport(fixtureReport(), { history: [] }), 'rdma')).toContain('<div class="note">ran in none (skipped)</div>');
  expect(page).toContain('<th class="history">history <span class="note">oldest → newest</span></th>');
});

test(`a strip shows ${stripRuns} runs at most; without a history there are no strips, and an unreadable one is said`, () => {
  const many: HistoryRun[] = Array.from({ length: 30 }, (_, i) => ({ ...history[2], runId: `old-${i}`, start: runStart - (i + 1) * 60_000 }));
  expect(cellsOf(rowsOf(htmlReport(fixtureReport(), { history: many }), 'dns'))).toHaveLength(stripRuns);
  expect(cellsOf(rowsOf(htmlReport(fixtureReport(), { history: [] }), 'dns'))).toEqual([['failed', true, '✗']]);
  const none = htmlReport(fixtureReport());
  expect(none).not.toContain('class="strip"');
  expect(none).not.toContain('<th class="history">');
  const unreadable = htmlReport(fixtureReport(), { historyProblem: 'no codec key sealed' });
  expect(unreadable).toContain('<dt>history</dt><dd>not shown: no codec key sealed</dd>');
  expect(unreadable).not.toContain('class="strip"');
});

test('a retried validator says which attempt its result is and that it is flaky, and lists the earlier attempts', () => {
  const rows = rowsOf(htmlReport(withRetry(fixtureReport(), 'nodes-ready'), { history }), 'nodes-ready');
  expect(rows).toContain('<td class="status"><span class="badge passed">✓ passed</span><div><span class="change unchanged">unchanged</span></div><div class="note">on attempt 2, <span class="badge flaky">flaky</span></div></td>');
  expect(rows).toContain('<ol class="attempts"><li value="1"><span class="badge other">! other</span> after 5.0 s NodeLost on kwok-node-2: the node went away</li></ol>');
  expect(rowsOf(page, 'nodes-ready')).not.toMatch(/attempt|flaky/);
});
