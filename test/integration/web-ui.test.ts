// Starting runs from the Temporal Web UI, as README.md tells people to: the dev server's real UI in
// headless Chromium, its Start Workflow form filled in, the run executed by a real Verdict worker.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { startFromWebUi, withPage, workflowPageResult } from '../harness/browser';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { runHandle } from '../../src/client';
import { sandboxInfo } from '../../src/sandbox/sandbox';

const webUi = () => sandboxInfo().webUi;

test('a run started from the Start Workflow form completes, with its report in the client and the UI', async () => {
  const input = {
    // A suite of its own each time: its first run, so the panel shows the results without a comparison.
    suite: suite(`web-ui-${randomUUID().slice(0, 8)}`, testNamespace(), [
      sim('hello', 'deployment', { stdout: 'hello from the web ui' }),
      sim('broken', 'conformance', { 'exit-code': '1', message: 'broken on purpose' }),
    ]),
    labels: { startedFrom: 'web-ui' },
  };
  const workflowId = `web-ui-${randomUUID().slice(0, 8)}`;

  await withVerdictWorker(async (taskQueue, client) => {
    await withPage('web-ui-start', async (page) => {
      await startFromWebUi(page, webUi(), { workflowId, taskQueue, workflowType: 'runSuite', input });

      const { status, report } = await runHandle(client, workflowId).result();
      expect(status).toBe('failed');
      expect(report.results.summary).toMatchObject({ tests: 2, passed: 1, failed: 1, skipped: 0, other: 0 });
      const byName = Object.fromEntries(report.results.tests.map((t) => [t.name, t]));
      expect(byName.hello).toMatchObject({ status: 'passed', stdout: ['hello from the web ui'] });
      expect(byName.broken).toMatchObject({ status: 'failed', message: 'broken on purpose' });

      // The workflow itself completed (a failed validator is a result, not a workflow failure).
      const shown = await workflowPageResult(page, webUi(), workflowId, 'Completed');
      expect(shown).toContain('"reportFormat": "CTRF"');
      expect(shown).toContain('"status": "failed"');
      // The panel is a code editor that renders the lines in view: the report's counts are at its top.
      expect(shown).toMatch(/"failed": 1,/);
    });
  });
});

test('an invalid input typed into the form fails the run at once, naming the field', async () => {
  const workflowId = `web-ui-bad-${randomUUID().slice(0, 8)}`;
  const input = { suite: { name: 'web-ui-bad', namespace: testNamespace(), validators: [{ name: 'x', phase: 'sometime', image: 'example.com/check:1' }] } };

  await withVerdictWorker(async (taskQueue, client) => {
    await withPage('web-ui-invalid', async (page) => {
      await startFromWebUi(page, webUi(), { workflowId, taskQueue, workflowType: 'runSuite', input });
      const err = await runHandle(client, workflowId)
        .result()
        .then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(String((err as WorkflowFailedError).cause?.message)).toContain('suite.validators.0.phase');

      const shown = await workflowPageResult(page, webUi(), workflowId, 'Failed');
      expect(shown).toContain('invalid run input');
      expect(shown).toContain('suite.validators.0.phase');
    });
  });
});
