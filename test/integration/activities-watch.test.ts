// The shared watch survives the server closing it: no completion is lost.
import { activityKit, inActivity, jobContext, simulated } from '../harness/activities';
import { testNamespace } from '../harness/namespace';
import { stuckThresholdsSchema } from '../../src/core/spec';

// The API server ends each watch after one second, so the Job completes on a later connection.
const { acts, watches } = activityKit({ watchSeconds: 1 });
afterAll(() => watches.stop());

test('a watch closed by the server is resumed without losing the Job completion', async () => {
  const namespace = testNamespace();
  const spec = simulated('outlives-watches', { 'exit-code': '0', 'duration-seconds': '4' });
  const ctx = jobContext('run-watch', namespace, spec.name);
  await inActivity(acts.deployJob, { spec, ctx });
  const outcome = await inActivity(acts.awaitJob, { namespace, jobName: ctx.jobName, thresholds: stuckThresholdsSchema.parse({}), deadline: Date.now() + 60_000 });
  expect(outcome).toEqual({ outcome: 'succeeded' });
  const stats = watches.stats();
  expect(stats.watches).toBeGreaterThanOrEqual(6); // two watches (Jobs, pods), each reopened at least twice
  expect(stats.lists).toBe(2); // resumed from the resourceVersion, never re-listed
  await inActivity(acts.deleteJob, { namespace, jobName: ctx.jobName });
});
