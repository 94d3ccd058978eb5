// The await-timer race: an await activity that never reports (a lost worker, a stuck watch) cannot
// hold a validator past its timeout: the workflow's timer ends it as Timeout, and the Job is still
// read and deleted.
import { randomUUID } from 'node:crypto';
import { runInputSchema } from '../../src/core/run';
import { runValidator, type ValidatorRunInput } from '../../src/workflows';
import { startWorkflowTestEnv, withWorker, type WorkflowTestEnv } from './harness/environment';
import { FakeCluster } from './harness/fake-activities';
import { runInput, validator } from './harness/suites';

let t: WorkflowTestEnv;
beforeAll(async () => (t = await startWorkflowTestEnv()));
afterAll(() => t?.env.teardown());

/** How long past the timeout the timer waits: shortened from the 30 s default so the test takes seconds. */
const timerSlackMs = 1_000;

test('an await that never returns: the timer ends the validator as Timeout at timeout + slack', async () => {
  const { suite } = runInputSchema.parse(runInput([validator('hangs', 'readiness', { timeout: '1s' })]));
  const input: ValidatorRunInput = { spec: suite.validators[0], runId: `timer-${randomUUID()}`, namespace: suite.namespace, serviceAccount: 'sa-view', thresholds: suite.stuckAfter, keepResources: false, stdoutBytes: 1024, timerSlackMs };
  const cluster = new FakeCluster({ hangs: 'never' });
  const workflowId = `${input.runId}-hangs`;
  const started = Date.now();
  const result = await withWorker(t, cluster.activities, (taskQueue) => t.env.client.workflow.execute(runValidator, { taskQueue, workflowId, args: [input] }));
  const elapsedMs = Date.now() - started;

  expect(result).toEqual({
    name: 'hangs', phase: 'readiness', status: 'other', exitCode: -1, reason: 'Timeout',
    message: 'timeout: the validator did not complete within 1s', stdout: [], durationMs: 0, jobName: cluster.jobOf('hangs'),
  });
  expect(cluster.calls.filter((c) => c !== 'awaitJob hangs cancelled')).toEqual(['deployJob hangs', 'awaitJob hangs', 'extractResult hangs timeout', 'deleteJob hangs']);
  // The timer, not the activity, ended the wait: one timer of timeout + slack, then the await was cancelled.
  const events = (await t.env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const timers = events.flatMap((e) => (e.timerStartedEventAttributes ? [e.timerStartedEventAttributes.startToFireTimeout?.seconds?.toString()] : []));
  expect(timers).toEqual([String((1000 + timerSlackMs) / 1000)]);
  expect(events.some((e) => e.timerFiredEventAttributes)).toBe(true);
  expect(events.some((e) => e.activityTaskCancelRequestedEventAttributes)).toBe(true);
  expect(elapsedMs).toBeGreaterThanOrEqual(1000 + timerSlackMs);
  console.log(`await-timer race: the validator ended after ${elapsedMs} ms (timeout 1 s + slack ${timerSlackMs} ms)`);
});
