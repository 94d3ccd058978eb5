// A run's end records it in its suite's history, exactly once however often the recording is
// retried; the history reads back without a worker. On the sandbox's Temporal and cluster.
import { randomBytes, randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { connect, startRun, suiteHistoryOf } from '../../src/client';
import { AesGcmCodec, keyRing } from '../../src/codec';
import { failureTypes } from '../../src/core/failures';
import { historyActivities } from '../../src/activities/history';
import { historyWorkflowId, runsOf } from '../../src/core/history';
import { withVerdictWorker } from '../harness/verdict-worker';
import { withClient } from '../harness/temporal';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { ctrfProblems } from '../fixtures/ctrf-schema';

test("a run that ends is in its suite's history once, even when its recording is retried", async () => {
  const cluster = 'default'; // the test worker's
  const name = `history-${randomUUID().slice(0, 8)}`;
  await withClient(async (client) => {
    const output = await withVerdictWorker(async (taskQueue, c) => {
      const handle = await startRun(c, { suite: suite(name, testNamespace(), [sim('passes', 'readiness', { 'exit-code': '0' }), sim('fails', 'readiness', { 'exit-code': '1' })], { history: { runs: 90 } }), cluster }, { taskQueue });
      return { runId: handle.workflowId, ...(await handle.result()) };
    });
    expect(output.report.results.extra?.problems).toEqual([]);
    expect(output.report.baseline).toBeUndefined(); // the suite's first run
    const history = await suiteHistoryOf(client, name, cluster);
    expect(history?.keep).toBe(90);
    const [run] = runsOf(history!);
    expect(run).toMatchObject({ runId: output.runId, status: 'failed' });
    expect(run.validators.map((v) => [v.name, v.status, v.exitCode])).toEqual([['passes', 'passed', 0], ['fails', 'failed', 1]]);

    // The run's end retried: the activity signals again with the same summary, and the history still holds the run once.
    const summary = { ...run, keep: 90 };
    const env = new MockActivityEnvironment(undefined, { client });
    await env.run(historyActivities().recordRunHistory, { suite: name, cluster, summary });
    await env.run(historyActivities().recordRunHistory, { suite: name, cluster, summary });
    const again = await suiteHistoryOf(client, name, cluster);
    expect(runsOf(again!).map((r) => r.runId)).toEqual([output.runId]);
    await client.workflow.getHandle(historyWorkflowId(cluster, name)).terminate('test over');
  });
});

test('a later run names the previous one as its baseline and compares with it, in CTRF that validates', async () => {
  const name = `insights-${randomUUID().slice(0, 8)}`;
  const namespace = testNamespace();
  const runOnce = (exitCode: string) =>
    withVerdictWorker(async (taskQueue, client) => {
      const handle = await startRun(client, { suite: suite(name, namespace, [sim('steady', 'readiness', { 'exit-code': '0' }), sim('breaks', 'readiness', { 'exit-code': exitCode })]) }, { taskQueue });
      return (await handle.result()).report;
    });
  const first = await runOnce('0');
  const second = await runOnce('1');
  expect(second.baseline).toMatchObject({ reportId: first.reportId, extra: { runId: first.results.extra?.runId } });
  expect(second.insights).toMatchObject({ runsAnalyzed: 1, passRate: { current: 0.5, baseline: 1, change: -0.5 }, extra: { changes: { 'newly failing': 1, unchanged: 1 } } });
  expect(second.results.tests.map((t) => [t.name, t.insights?.extra.change])).toEqual([['steady', 'unchanged'], ['breaks', 'newly failing']]);
  expect(ctrfProblems(second)).toEqual([]);
  await withClient((client) => client.workflow.getHandle(historyWorkflowId('default', name)).terminate('test over'));
});

test('a history recorded under a codec key this worker lacks is reported unreadable at once, not retried', async () => {
  const name = `sealed-${randomUUID().slice(0, 8)}`;
  const codec = new AesGcmCodec(keyRing([{ source: 'test', id: 'sealed', key: randomBytes(32).toString('base64') }]));
  const sealed = await connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', codec });
  const summary = { runId: 'sealed-run', reportId: '00000000-0000-4000-8000-000000000001', start: 1, stop: 2, status: 'passed', keep: 100, validators: [] };
  try {
    await new MockActivityEnvironment(undefined, { client: sealed }).run(historyActivities().recordRunHistory, { suite: name, cluster: 'default', summary });
    await withClient(async (plain) => {
      const compare = new MockActivityEnvironment(undefined, { client: plain }).run(historyActivities().compareWithHistory, { suite: name, cluster: 'default', summary: { ...summary, runId: 'later', start: 3 } });
      await expect(compare).rejects.toMatchObject({ type: failureTypes.historyUnreadable, nonRetryable: true });
    });
  } finally {
    await sealed.workflow.getHandle(historyWorkflowId('default', name)).terminate('test over');
    await sealed.connection.close();
  }
});

test('a suite with no ended run has no history', async () => {
  await withClient(async (client) => expect(await suiteHistoryOf(client, `none-${randomUUID().slice(0, 8)}`, 'default')).toBeUndefined());
});
