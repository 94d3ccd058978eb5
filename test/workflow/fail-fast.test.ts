// failFast: a phase with a failed validator skips every later phase (reason PhaseFailed); the
// failing phase itself runs to the end. Without failFast, later phases run.
import { randomUUID } from 'node:crypto';
import { runSuite, type RunOutput } from '../../src/workflows';
import { startWorkflowTestEnv, withWorker, type WorkflowTestEnv } from './harness/environment';
import { FakeCluster } from './harness/fake-activities';
import { runInput, validator } from './harness/suites';

let t: WorkflowTestEnv;
beforeAll(async () => (t = await startWorkflowTestEnv()));
afterAll(() => t?.env.teardown());

const validators = [validator('fails', 'readiness'), validator('passes-too', 'readiness'), validator('deploys', 'deployment'), validator('conforms', 'conformance')];
const scripts = { fails: { exitCode: 1 }, 'passes-too': { exitCode: 0 }, deploys: { exitCode: 0 }, conforms: { exitCode: 0 } };
const summary = (o: RunOutput) => o.report.results.tests.map((r) => ({ name: r.name, status: r.status, reason: r.extra?.reason, message: r.message }));

test('with failFast, the phases after a failed one are skipped, and never deployed', async () => {
  const cluster = new FakeCluster(scripts);
  const out = await withWorker(t, cluster.activities, (taskQueue) =>
    t.env.client.workflow.execute(runSuite, { taskQueue, workflowId: `failfast-${randomUUID()}`, args: [runInput(validators, { failFast: true })] }),
  );
  expect(out.status).toBe('failed');
  expect(summary(out)).toEqual([
    { name: 'fails', status: 'failed', reason: 'Error', message: 'exited 1' },
    { name: 'passes-too', status: 'passed', reason: 'Completed', message: 'exited 0' },
    { name: 'deploys', status: 'skipped', reason: 'PhaseFailed', message: 'skipped: phase "readiness" failed and the suite has failFast' },
    { name: 'conforms', status: 'skipped', reason: 'PhaseFailed', message: 'skipped: phase "readiness" failed and the suite has failFast' },
  ]);
  expect(cluster.calls.filter((c) => c.startsWith('deployJob')).sort()).toEqual(['deployJob fails', 'deployJob passes-too']);
  expect(cluster.calls.slice(-4)).toEqual(['cleanupRunResources', 'compareWithHistory', 'recordRunHistory failed', 'runOrigin']);
  expect(out.report.results.extra).toMatchObject({ startedBy: 'wf-test' });
});

test('without failFast, every phase runs after a failure', async () => {
  const cluster = new FakeCluster(scripts);
  const out = await withWorker(t, cluster.activities, (taskQueue) =>
    t.env.client.workflow.execute(runSuite, { taskQueue, workflowId: `no-failfast-${randomUUID()}`, args: [runInput(validators, { failFast: false })] }),
  );
  expect(out.status).toBe('failed');
  expect(summary(out)).toEqual([
    { name: 'fails', status: 'failed', reason: 'Error', message: 'exited 1' },
    { name: 'passes-too', status: 'passed', reason: 'Completed', message: 'exited 0' },
    { name: 'deploys', status: 'passed', reason: 'Completed', message: 'exited 0' },
    { name: 'conforms', status: 'passed', reason: 'Completed', message: 'exited 0' },
  ]);
  expect(cluster.calls.filter((c) => c.startsWith('deleteJob')).sort()).toEqual(['deleteJob conforms', 'deleteJob deploys', 'deleteJob fails', 'deleteJob passes-too']);
});
