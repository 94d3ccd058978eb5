// A suite's history: signals fold in once per run, the newest `keep` runs stay, and the workflow
// continues as new with them before its own event history grows.
import { randomUUID } from 'node:crypto';
import { suiteHistoryOf } from '../../src/client';
import { emptyHistory, historyWorkflowId, historyWorkflowType, runsOf, type RunSummary } from '../../src/core/history';
import { historyQuery, recordRunSignal, suiteHistory, signalsPerExecution } from '../../src/workflows';
import { startWorkflowTestEnv, withWorker, type WorkflowTestEnv } from './harness/environment';
import { eventually } from '../harness/eventually';

let t: WorkflowTestEnv;
beforeAll(async () => (t = await startWorkflowTestEnv()));
afterAll(() => t?.env.teardown());

const summary = (n: number, keep: number): RunSummary => ({
  runId: `nightly-${n}`,
  start: n * 1000,
  stop: n * 1000 + 500,
  status: n % 3 ? 'passed' : 'failed',
  keep,
  validators: [{ name: 'dns', status: n % 3 ? 'passed' : 'failed', durationMs: n, exitCode: n % 3 ? 0 : 1 }],
});

test('the history workflow is the type the activity starts', () => {
  expect(suiteHistory.name).toBe(historyWorkflowType);
});

test('runs fold in once each, newest first, the newest `keep` kept across continue-as-new; a client reads the same from its events', async () => {
  const cluster = `c-${randomUUID()}`;
  const workflowId = historyWorkflowId(cluster, 'nightly');
  const total = signalsPerExecution + 20;
  const { queried, read } = await withWorker(t, {}, async (taskQueue) => {
    const send = (n: number) =>
      t.env.client.workflow.signalWithStart(suiteHistory, { taskQueue, workflowId, args: [emptyHistory('nightly', cluster, 90)], signal: recordRunSignal, signalArgs: [summary(n, 90)] });
    const first = await send(1);
    await send(1); // a retried signal
    for (let n = 2; n <= total; n++) await send(n);
    const handle = t.env.client.workflow.getHandle(workflowId);
    // The first execution continues as new once it has taken its share of signals (the worker may still be taking them).
    const firstStatus = () => t.env.client.workflow.getHandle(workflowId, first.signaledRunId).describe();
    await eventually(async () => ((await firstStatus()).status.name === 'CONTINUED_AS_NEW' ? true : undefined), 'the first execution to continue as new');
    expect((await handle.describe()).runId).not.toBe(first.signaledRunId);
    const queried = await eventually(async () => {
      const h = await handle.query(historyQuery);
      return runsOf(h)[0]?.runId === `nightly-${total}` ? h : undefined;
    }, 'every signal to be taken');
    // Read without a worker: the carried-over state and the signals since, folded the same way.
    await handle.signal(recordRunSignal, summary(total + 1, 90));
    return { queried, read: await suiteHistoryOf(t.env.client, 'nightly', cluster) };
  });
  expect(runsOf(read!)[0].runId).toBe(`nightly-${total + 1}`);
  expect({ ...read!, runs: read!.runs.slice(1) }).toEqual({ ...queried, runs: queried.runs.slice(0, -1) });
  const history = queried;
  const runs = runsOf(history);
  expect(runs).toHaveLength(90);
  expect(runs[0].runId).toBe(`nightly-${total}`);
  expect(runs.at(-1)!.runId).toBe(`nightly-${total - 89}`);
  expect(new Set(runs.map((r) => r.runId)).size).toBe(90);
  expect(runs[0].validators).toEqual([{ name: 'dns', status: total % 3 ? 'passed' : 'failed', durationMs: total, exitCode: total % 3 ? 0 : 1 }]);
  await t.env.client.workflow.getHandle(workflowId).terminate('test over');
});
