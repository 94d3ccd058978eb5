// Lanes: `concurrency` bounds how many validators of a phase run at once, and every lane stays
// busy until the phase's validators are all done.
import { randomUUID } from 'node:crypto';
import { runSuite } from '../../src/workflows';
import { startWorkflowTestEnv, withWorker, type WorkflowTestEnv } from './harness/environment';
import { FakeCluster } from './harness/fake-activities';
import { runInput, validator } from './harness/suites';

let t: WorkflowTestEnv;
beforeAll(async () => (t = await startWorkflowTestEnv()));
afterAll(() => t?.env.teardown());

const names = ['v1', 'v2', 'v3', 'v4', 'v5'];

async function runWithLanes(concurrency: number) {
  // Jobs run until `concurrency` of them are awaited at once: lanes that could overlap do.
  const cluster = new FakeCluster(Object.fromEntries(names.map((n) => [n, { exitCode: 0, ms: 100 }])), concurrency);
  const out = await withWorker(t, cluster.activities, (taskQueue) =>
    t.env.client.workflow.execute(runSuite, { taskQueue, workflowId: `lanes-${randomUUID()}`, args: [runInput(names.map((n) => validator(n, 'deployment')), { concurrency })] }),
  );
  return { out, cluster };
}

test.each([1, 2, 3])('concurrency %i: at most that many validators awaited at once, all of them run', async (concurrency) => {
  const { out, cluster } = await runWithLanes(concurrency);
  expect(cluster.maxAwaiting).toBe(concurrency);
  expect(out.status).toBe('passed');
  expect(out.report.results.tests.map((r) => [r.name, r.status])).toEqual(names.map((n) => [n, 'passed']));
  expect(cluster.calls.filter((c) => c.startsWith('awaitJob')).sort()).toEqual(names.map((n) => `awaitJob ${n}`));
});
