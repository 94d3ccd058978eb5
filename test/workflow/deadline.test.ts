// A suite's deadline: when it passes, the validators still running are stopped (their Jobs read
// and deleted as on cancellation), those not started never start, all report RunDeadlineExceeded,
// the run's cleanup runs and the run ends failed. A run cancelled before its deadline says Cancelled.
import { randomUUID } from 'node:crypto';
import { runSuite } from '../../src/workflows';
import { startWorkflowTestEnv, withWorker, type WorkflowTestEnv } from './harness/environment';
import { FakeCluster } from './harness/fake-activities';
import { runInput, validator } from './harness/suites';

let t: WorkflowTestEnv;
beforeAll(async () => (t = await startWorkflowTestEnv()));
afterAll(() => t?.env.teardown());

const past = { status: 'other', reason: 'RunDeadlineExceeded', message: 'the run\'s deadline of 3s passed before the validator finished' };
const validators = [validator('quick', 'readiness'), validator('hangs', 'readiness'), validator('later', 'deployment')];

test('the deadline stops what is unfinished, which reports it; cleanup runs and the run fails', async () => {
  const cluster = new FakeCluster({ quick: { exitCode: 0 }, hangs: 'never', later: { exitCode: 0 } });
  const started = Date.now();
  const out = await withWorker(t, cluster.activities, (taskQueue) =>
    t.env.client.workflow.execute(runSuite, { taskQueue, workflowId: `deadline-${randomUUID()}`, args: [runInput(validators, { deadline: '3s', failFast: false })] }),
  );
  expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  expect(out.status).toBe('failed');
  expect(out.report.results.tests.map((r) => ({ name: r.name, status: r.status, reason: r.extra?.reason, message: r.message }))).toEqual([
    { name: 'quick', status: 'passed', reason: 'Completed', message: 'exited 0' },
    { name: 'hangs', ...past },
    { name: 'later', ...past },
  ]);
  const calls = cluster.calls.filter((c) => !/^awaitJob \S+ cancelled$/.test(c));
  expect(calls.filter((c) => c.includes(' hangs'))).toEqual(['deployJob hangs', 'awaitJob hangs', 'extractResult hangs cancelled', 'deleteJob hangs']);
  expect(calls.filter((c) => c.includes('later'))).toEqual([]);
  expect(calls).toContain('cleanupRunResources');
});

test('a run that ends before its deadline, or is cancelled before it, is not touched by it', async () => {
  const cluster = new FakeCluster({ quick: { exitCode: 0 }, hangs: 'never', later: { exitCode: 0 } });
  const done = await withWorker(t, new FakeCluster({ quick: { exitCode: 0 } }).activities, (taskQueue) =>
    t.env.client.workflow.execute(runSuite, { taskQueue, workflowId: `deadline-${randomUUID()}`, args: [runInput([validators[0]], { deadline: '1h' })] }),
  );
  expect(done.status).toBe('passed');
  const out = await withWorker(t, cluster.activities, async (taskQueue) => {
    const handle = await t.env.client.workflow.start(runSuite, { taskQueue, workflowId: `deadline-${randomUUID()}`, args: [runInput(validators, { deadline: '1h' })] });
    await cluster.awaited('hangs');
    await handle.cancel();
    return handle.result();
  });
  expect(out.status).toBe('cancelled');
  expect(out.report.results.tests.map((r) => [r.name, r.extra?.reason])).toEqual([['quick', 'Completed'], ['hangs', 'Cancelled'], ['later', 'Cancelled']]);
});
