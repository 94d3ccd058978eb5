// Retries are for infrastructure: an `other` outcome runs again as a new Job while the validator
// has retries left, each attempt kept in the report; a failure is never retried; a validator that
// passes on a retry is flaky.
import { randomUUID } from 'node:crypto';
import { runSuite } from '../../src/workflows';
import { ctrfProblems } from '../fixtures/ctrf-schema';
import { startWorkflowTestEnv, withWorker, type WorkflowTestEnv } from './harness/environment';
import { FakeCluster } from './harness/fake-activities';
import { runInput, validator } from './harness/suites';

let t: WorkflowTestEnv;
beforeAll(async () => (t = await startWorkflowTestEnv()));
afterAll(() => t?.env.teardown());

test('other is retried as a new Job up to the retries asked for; failed never is; passing on a retry is flaky', async () => {
  const cluster = new FakeCluster({
    recovers: [{ exitCode: 3 }, { exitCode: 0 }],
    broken: { exitCode: 1 },
    'never-recovers': { exitCode: 4 },
    plain: { exitCode: 3 },
  });
  const validators = [
    validator('recovers', 'readiness', { retries: 2 }),
    validator('broken', 'readiness', { retries: 3 }),
    validator('never-recovers', 'readiness', { retries: 2 }),
    validator('plain', 'readiness'),
  ];
  const out = await withWorker(t, cluster.activities, (taskQueue) =>
    t.env.client.workflow.execute(runSuite, { taskQueue, workflowId: `retries-${randomUUID()}`, args: [runInput(validators, { failFast: false })] }),
  );
  const deploys = (name: string) => cluster.calls.filter((c) => c === `deployJob ${name}`).length;
  expect({ recovers: deploys('recovers'), broken: deploys('broken'), 'never-recovers': deploys('never-recovers'), plain: deploys('plain') }).toEqual({ recovers: 2, broken: 1, 'never-recovers': 3, plain: 1 });
  const tests = Object.fromEntries(out.report.results.tests.map((r) => [r.name, r]));
  expect(tests.recovers).toMatchObject({ status: 'passed', retries: 1, flaky: true, retryAttempts: [{ attempt: 1, status: 'other', message: 'exited 3', extra: { exitCode: 3 } }] });
  expect(tests.broken).toMatchObject({ status: 'failed' });
  expect(tests.broken.retries).toBeUndefined();
  expect(tests['never-recovers']).toMatchObject({ status: 'other', retries: 2, flaky: false });
  expect(tests['never-recovers'].retryAttempts?.map((a) => a.attempt)).toEqual([1, 2]);
  expect(tests.plain.retries).toBeUndefined();
  // Each attempt had a Job of its own, named apart from the others.
  const jobs = tests['never-recovers'].retryAttempts!.map((a) => a.extra.jobName);
  expect(new Set([...jobs, tests['never-recovers'].extra?.jobName]).size).toBe(3);
  expect(ctrfProblems(out.report)).toEqual([]);
});

test('a validator being retried when the run is cancelled reports Cancelled, with its earlier attempts, and is not retried again', async () => {
  const cluster = new FakeCluster({ shaky: [{ exitCode: 3 }, 'never'] });
  const out = await withWorker(t, cluster.activities, async (taskQueue) => {
    const handle = await t.env.client.workflow.start(runSuite, { taskQueue, workflowId: `retries-${randomUUID()}`, args: [runInput([validator('shaky', 'readiness', { retries: 3 })])] });
    // The first attempt ends at once (other); the second hangs until the run is cancelled.
    for (;;) {
      if (cluster.calls.filter((c) => c === 'awaitJob shaky').length === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await handle.cancel();
    return handle.result();
  });
  expect(out.status).toBe('cancelled');
  expect(out.report.results.tests[0]).toMatchObject({ status: 'other', extra: { reason: 'Cancelled' }, retries: 1, flaky: false });
  expect(cluster.calls.filter((c) => c === 'deployJob shaky')).toHaveLength(2);
});
