// What Verdict could not do after a validator ran (read its result, delete its Job, clean up, store
// the report) never replaces what it knows; a cancel during setup lets setup finish, then cleans up.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { runSuite } from '../../src/workflows';
import { startWorkflowTestEnv, withWorker, type WorkflowTestEnv } from './harness/environment';
import { FakeCluster } from './harness/fake-activities';
import { runInput, validator } from './harness/suites';

let t: WorkflowTestEnv;
beforeAll(async () => (t = await startWorkflowTestEnv()));
afterAll(() => t?.env.teardown());

const refused = (what: string) => () => Promise.reject(ApplicationFailure.nonRetryable(`${what}: refused by policy`, 'KubernetesForbidden'));

test("a result that cannot be read is reported as such, with the API server's words, and the Job is still deleted", async () => {
  const cluster = new FakeCluster({ unreadable: { exitCode: 1 }, fine: { exitCode: 0 } });
  const activities = { ...cluster.activities, extractResult: (i: Parameters<typeof cluster.activities.extractResult>[0]) => (i.spec.name === 'unreadable' ? refused('reading Job x')() : cluster.activities.extractResult(i)) };
  const out = await withWorker(t, activities, (taskQueue) => t.env.client.workflow.execute(runSuite, { taskQueue, workflowId: `unreadable-${randomUUID()}`, args: [runInput([validator('unreadable', 'deployment'), validator('fine', 'deployment')])] }));
  expect(out.report.results.tests.map((r) => [r.name, r.status, r.extra?.reason, r.message])).toEqual([
    ['unreadable', 'other', 'CouldNotRun', 'the validator could not run: its result could not be read: reading Job x: refused by policy'],
    ['fine', 'passed', 'Completed', 'exited 0'],
  ]);
  expect(cluster.calls.filter((c) => c.startsWith('deleteJob')).sort()).toEqual(['deleteJob fine', 'deleteJob unreadable']);
});

test('a Job that cannot be deleted keeps its result, with a note; a cleanup and a report store that fail are named in the report', async () => {
  const cluster = new FakeCluster({ sticky: { exitCode: 1 } });
  const activities = { ...cluster.activities, deleteJob: refused('deleting Job y'), cleanupRunResources: refused('deleting ServiceAccount z'), storeReport: refused('creating ConfigMap r') };
  const out = await withWorker(t, activities, (taskQueue) =>
    t.env.client.workflow.execute(runSuite, { taskQueue, workflowId: `sticky-${randomUUID()}`, args: [runInput([validator('sticky', 'deployment')], { report: { configMap: true } })] }),
  );
  expect(out.status).toBe('failed');
  const [sticky] = out.report.results.tests;
  expect(sticky).toMatchObject({ status: 'failed', extra: { exitCode: 1 } });
  expect(sticky.message).toBe(`exited 1; its Job ${sticky.extra?.jobName} could not be deleted (verdict gc removes it once the run is closed): deleting Job y: refused by policy`);
  expect(out.report.results.extra?.problems).toEqual([
    'cleanup failed (verdict gc removes what is left once the run is closed): deleting ServiceAccount z: refused by policy',
    'the report could not be stored in a ConfigMap: creating ConfigMap r: refused by policy',
  ]);
});

test('cancelled during setup: setup finishes, nothing is deployed, cleanup runs last, every validator Cancelled', async () => {
  const cluster = new FakeCluster({ a: { exitCode: 0 } });
  let inRbac: () => void = () => {};
  const rbacStarted = new Promise<void>((resolve) => (inRbac = resolve));
  const activities = {
    ...cluster.activities,
    ensureRunRbac: async (i: Parameters<typeof cluster.activities.ensureRunRbac>[0]) => {
      inRbac();
      await new Promise((r) => setTimeout(r, 1_500)); // still creating when the cancel arrives
      return cluster.activities.ensureRunRbac(i);
    },
  };
  const out = await withWorker(t, activities, async (taskQueue) => {
    const handle = await t.env.client.workflow.start(runSuite, { taskQueue, workflowId: `cancel-setup-${randomUUID()}`, args: [runInput([validator('a', 'deployment')])] });
    await rbacStarted;
    await handle.cancel();
    return handle.result();
  });
  expect(out.status).toBe('cancelled');
  expect(out.report.results.tests.map((r) => [r.name, r.extra?.reason])).toEqual([['a', 'Cancelled']]);
  expect(cluster.calls).toEqual(['checkPermissions', 'ensureNamespace wf-test', 'ensureRunRbac', 'ensureInputs', 'cleanupRunResources', 'compareWithHistory', 'recordRunHistory cancelled', 'runOrigin']);
});
