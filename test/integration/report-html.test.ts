// `verdict report <run> --format html -o <file>` on a suite's second run, the page opened from its
// file in headless Chromium: it renders, shows the counts of the CTRF report `verdict report
// --format ctrf` prints, every validator with its status, node and a strip of both runs, and
// fetches nothing. On the sandbox's Temporal and cluster, with the compiled CLI.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkflowNotFoundError } from '@temporalio/client';
import { startRun } from '../../src/client';
import type { CtrfReport } from '../../src/core/ctrf';
import { historyWorkflowId } from '../../src/core/history';
import { withPage } from '../harness/browser';
import { verdict } from '../harness/cli';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { withClient } from '../harness/temporal';
import { withVerdictWorker } from '../harness/verdict-worker';

/** Where the test leaves the page's picture, for a person to look at. */
const screenshot = '/tmp/verdict-report-html.png';

const goTest = [
  { Action: 'pass', Test: 'TestDriver', Elapsed: 0.5 },
  { Action: 'skip', Test: 'TestRDMA', Elapsed: 0 },
].map((e) => JSON.stringify({ Package: 'checks', ...e }));
const breaking = 'lookup kubernetes.default failed: <script>alert(1)</script></details>';

/** The suite's validators on each night: dns breaks on the second, when 4 pass, 3 fail, 2 end other and 1 skips (counts apart, so none can pass for another). */
const validators = (night: number) => [
  sim('nodes-ready', 'readiness', { stdout: 'checking nodes\nall ready' }),
  sim('go-checks', 'readiness', { stdout: ['running checks', ...goTest].join('\n') }),
  sim('api-health', 'readiness', {}),
  sim('dns', 'deployment', night === 1 ? {} : { 'exit-code': '1', message: breaking }),
  sim('quick', 'deployment', {}),
  sim('bandwidth', 'performance', { 'exit-code': '1', message: 'bandwidth 12 GB/s below 40 GB/s' }),
  sim('latency', 'performance', { 'exit-code': '1', message: 'p99 latency 40 ms above 10 ms' }),
  sim('oom', 'performance', { 'exit-code': '137', reason: 'OOMKilled' }),
  sim('rdma', 'conformance', { 'exit-code': '2', message: 'no RDMA devices' }),
  sim('crashes', 'conformance', { 'exit-code': '3', message: 'segmentation fault' }),
];

test('the HTML report of a second run renders from its file, shows what the CTRF report says with each validator’s history, and fetches nothing', async () => {
  const name = `report-html-${randomUUID().slice(0, 8)}`;
  const namespace = testNamespace();
  const dir = mkdtempSync(join(tmpdir(), 'verdict-report-html-'));
  const runNight = (night: number) =>
    withVerdictWorker(async (taskQueue, client) => {
      const handle = await startRun(client, { suite: suite(name, namespace, validators(night), { failFast: false }) }, { taskQueue });
      await handle.result();
      return handle.workflowId;
    });
  try {
    await runNight(1);
    const runId = await runNight(2);

    const ctrf = await verdict(['report', runId, '--format', 'ctrf']);
    expect(ctrf.code).toBe(0);
    const report = JSON.parse(ctrf.stdout) as CtrfReport;
    expect(report.results.summary).toMatchObject({ tests: 10, passed: 4, failed: 3, skipped: 1, other: 2 });

    const file = join(dir, 'report.html');
    const html = await verdict(['report', runId, '--format', 'html', '-o', file]);
    expect(html).toMatchObject({ code: 0, stdout: `${file}\n` });

    const url = pathToFileURL(file).href;
    await withPage('report-html', async (page) => {
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url, { waitUntil: 'load' });
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.screenshot({ path: screenshot, fullPage: true });

      // The heading is a flex row: its parts are words of one line however innerText splits them.
      expect((await page.getByRole('heading', { level: 1 }).innerText()).split(/\s+/).join(' ')).toBe(`✗ failed suite ${name} on cluster default`);
      const s = report.results.summary;
      for (const key of ['tests', 'passed', 'failed', 'skipped', 'other'] as const) {
        expect([key, await page.locator(`[data-count="${key}"]`).innerText()]).toEqual([key, String(s[key])]);
      }
      expect(await page.locator('[data-count]').count()).toBe(5); // no pending count: the report has none

      // Every validator, in its phase, with its status, node and both nights (oldest first).
      const shown = await Promise.all((await page.locator('tbody[data-validator]').all()).map((r) => r.getAttribute('data-validator')));
      expect(shown).toEqual(report.results.tests.map((t) => t.name));
      for (const t of report.results.tests) {
        const rows = page.locator(`section[data-phase="${t.suite?.[0]}"] tbody[data-validator="${t.name}"]`);
        expect([t.name, await rows.locator('td.status').innerText()]).toEqual([t.name, expect.stringContaining(t.status)]);
        expect([t.name, await rows.locator('td.node').innerText()]).toEqual([t.name, t.extra?.node]);
        expect([t.name, await rows.locator('.strip .cell').count()]).toEqual([t.name, 2]);
      }
      const cells = (v: string) => page.locator(`tbody[data-validator="${v}"] .strip .cell`).allInnerTexts();
      expect(await cells('dns')).toEqual(['✓', '✗']);
      expect(await cells('bandwidth')).toEqual(['✗', '✗']);
      expect(await page.locator('tbody[data-validator="dns"] td.status .change').innerText()).toBe('newly failing');
      expect(await page.locator('tbody[data-validator="oom"] td.reason').innerText()).toContain('OOMKilled');

      // The message is text, not markup; the page has no script at all.
      expect(await page.locator('tbody[data-validator="dns"] td.message').innerText()).toBe(breaking);
      expect(await page.locator('script').count()).toBe(0);

      // Sub-tests listed; stdout folded until opened.
      expect(await page.locator('tbody[data-validator="go-checks"] tr.subtest').allInnerTexts()).toEqual([
        expect.stringMatching(/^✓ passed\s+TestDriver\s+0\.5 s/),
        expect.stringMatching(/^- skipped\s+TestRDMA\s+0\.0 s/),
      ]);
      const stdout = page.locator('tbody[data-validator="nodes-ready"] details.stdout');
      expect(await stdout.locator('pre').isVisible()).toBe(false);
      await stdout.locator('summary').click();
      expect(await stdout.locator('pre').innerText()).toBe('checking nodes\nall ready');

      // The file itself is the one request, and nothing was refused or failed.
      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // The suite's history workflow, once a run has ended (else there is none to end).
    await withClient((client) => client.workflow.getHandle(historyWorkflowId('default', name)).terminate('test over')).catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
  }
});
