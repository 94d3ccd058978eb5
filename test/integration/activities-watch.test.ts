// The shared watch survives the server closing it, and closes once nothing uses it.
import { activityKit, inActivity, jobContext, simulated } from '../harness/activities';
import { testNamespace } from '../harness/namespace';
import { stuckThresholdsSchema } from '../../src/core/spec';
import { eventually } from '../harness/eventually';

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

test("a namespace's watches close once no activity has used them for the idle time, and reopen on demand", async () => {
  const kit = activityKit({ idleMs: 500 });
  try {
    const namespace = testNamespace();
    const spec = simulated('idle', { 'exit-code': '0' });
    const ctx = jobContext('run-idle', namespace, spec.name);
    await inActivity(kit.acts.deployJob, { spec, ctx });
    await inActivity(kit.acts.awaitJob, { namespace, jobName: ctx.jobName, thresholds: stuckThresholdsSchema.parse({}), deadline: Date.now() + 60_000 });
    expect(kit.watches.stats().open).toBe(2);
    await eventually(() => Promise.resolve(kit.watches.stats().open === 0 ? true : undefined), 'the idle watches to close', 5_000);
    await expect(inActivity(kit.acts.deleteJob, { namespace, jobName: ctx.jobName })).resolves.toEqual({ podsSettled: true });
    expect(kit.watches.stats().open).toBe(2); // reopened for the delete, closing again after
  } finally {
    kit.watches.stop();
  }
});
