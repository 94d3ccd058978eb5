// Notifications at a run's end: each rule that wants the run gets one notify call with the
// run's notice; a run that fails before its validators report still notifies; a notification
// that cannot be sent is a problem in the report, never the run's failure.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { runSuite } from '../../src/workflows';
import { sandboxPolicy } from '../../src/core/policy';
import { startWorkflowTestEnv, withWorker, type WorkflowTestEnv } from './harness/environment';
import { FakeCluster } from './harness/fake-activities';
import { runInput, validator } from './harness/suites';

let t: WorkflowTestEnv;
beforeAll(async () => (t = await startWorkflowTestEnv()));
afterAll(() => t?.env.teardown());

const rules = [{ target: 'on-failure', when: 'failure' as const }, { target: 'on-change', when: 'change' as const }, { url: 'https://hooks.example.com/x', format: 'slack' as const, when: 'always' as const }];
const run = (cluster: FakeCluster, extra = {}) =>
  withWorker(t, cluster.activities, (taskQueue) =>
    t.env.client.workflow.execute(runSuite, { taskQueue, workflowId: `notify-${randomUUID()}`, args: [runInput([validator('ok', 'readiness'), validator('bad', 'readiness')], { failFast: false, notify: rules, ...extra })] }),
  );

test('a failed first run notifies every rule once, with its counts and what fails', async () => {
  const cluster = new FakeCluster({ ok: { exitCode: 0 }, bad: { exitCode: 1 } });
  const out = await run(cluster);
  expect(out.status).toBe('failed');
  expect(cluster.notices.map((n) => n.index).sort()).toEqual([0, 1, 2]);
  expect(cluster.notices[0].notice).toMatchObject({ status: 'failed', suite: 'wf-test', counts: { tests: 2, passed: 1, failed: 1 }, failing: ['bad'] });
  expect(cluster.notices.every((n) => n.execution !== undefined)).toBe(true);
  expect(out.report.results.extra?.problems).toEqual([]);
});

test('a passing run notifies only the rules that want it; no rules, no calls', async () => {
  const passing = new FakeCluster({ ok: { exitCode: 0 }, bad: { exitCode: 0 } });
  await run(passing);
  // A first run counts as a change; a passed run is not a failure.
  expect(passing.notices.map((n) => n.index).sort()).toEqual([1, 2]);
  const quiet = new FakeCluster({ ok: { exitCode: 0 }, bad: { exitCode: 1 } });
  await run(quiet, { notify: [] });
  expect(quiet.calls.filter((c) => c.startsWith('notify'))).toEqual([]);
});

test('a notification that cannot be sent is named in the report; the run keeps its own status', async () => {
  const cluster = new FakeCluster({ ok: { exitCode: 0 }, bad: { exitCode: 0 } });
  cluster.refuseNotify = true;
  const out = await run(cluster, { notify: [rules[2]] });
  expect(out.status).toBe('passed');
  expect(out.report.results.extra?.problems).toEqual(['a notification could not be sent: the receiver answered HTTP 403']);
});

test('a run refused before its validators report still notifies, with why', async () => {
  const cluster = new FakeCluster({ ok: { exitCode: 0 }, bad: { exitCode: 0 } });
  const refused = { ...cluster.activities, checkRunPolicy: () => Promise.resolve({ policy: sandboxPolicy, violations: [{ path: 'validators.0.privileged', message: 'privileged validators are not allowed' }] }) };
  const failure = await withWorker(t, refused, (taskQueue) =>
    t.env.client.workflow.execute(runSuite, { taskQueue, workflowId: `notify-${randomUUID()}`, args: [runInput([validator('ok', 'readiness')], { notify: [rules[0]] })] }),
  ).catch((err: unknown) => err);
  expect((failure as { cause?: ApplicationFailure }).cause?.type).toBe('PolicyViolation');
  expect(cluster.notices).toHaveLength(1);
  expect(cluster.notices[0].notice).toMatchObject({ status: 'failed', counts: { tests: 0 } });
  expect(cluster.notices[0].notice.error).toMatch(/this worker's policy refuses the suite/);
});
