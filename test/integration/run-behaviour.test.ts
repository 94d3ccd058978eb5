// How runs behave together and when cancelled, on the real servers.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { recordJobCreations } from '../harness/job-creations';
import { sim, suite } from '../harness/suites';
import { eventually } from '../harness/eventually';
import { progressQuery, runSuite } from '../../src/workflows';

const statuses = (out: { report: { results: { tests: { name: string; status: string }[] } } }) => Object.fromEntries(out.report.results.tests.map((t) => [t.name, t.status]));

test('two runs of the same suite at once, in one namespace, both complete correctly', async () => {
  const namespace = testNamespace();
  const s = suite('twins', namespace, [
    sim('ok', 'deployment', { 'exit-code': '0', 'duration-seconds': '2' }),
    sim('bad', 'deployment', { 'exit-code': '1', 'duration-seconds': '1' }),
    sim('after', 'conformance', { 'exit-code': '0' }),
  ], { failFast: false });
  const recorder = await recordJobCreations(namespace);
  const [a, b] = await withVerdictWorker((taskQueue, client) =>
    Promise.all([1, 2].map((i) => client.workflow.execute(runSuite, { taskQueue, workflowId: `twins-${i}-${randomUUID()}`, args: [{ suite: s }] }))),
  );
  recorder.stop();
  for (const out of [a, b]) expect(statuses(out)).toEqual({ ok: 'passed', bad: 'failed', after: 'passed' });
  // Each run made its own three Jobs: six in all, each created once.
  expect(Object.values(recorder.counts()).reduce((n, c) => n + c, 0)).toBe(6);
});

test('cancelling a run stops its validators, deletes their Jobs and RBAC, and reports them cancelled', async () => {
  const namespace = testNamespace();
  const s = suite('cancel-me', namespace, [
    sim('done', 'readiness', { 'exit-code': '0' }),
    sim('forever', 'deployment', { hang: 'true', stdout: 'still going' }),
    sim('never-started', 'conformance', { 'exit-code': '0' }),
  ]);
  const out = await withVerdictWorker(async (taskQueue, client) => {
    const handle = await client.workflow.start(runSuite, { taskQueue, workflowId: `cancel-${randomUUID()}`, args: [{ suite: s }] });
    await eventually(async () => ((await handle.query(progressQuery)).validators.find((v) => v.name === 'forever')?.state === 'running' ? true : undefined), 'the hanging validator to run');
    await eventually(async () => ((await clients().core.listNamespacedPod({ namespace })).items.some((p) => p.status?.phase === 'Running') ? true : undefined), 'its pod to run');
    await handle.cancel();
    return handle.result();
  });
  expect(out.status).toBe('cancelled');
  const tests = Object.fromEntries(out.report.results.tests.map((t) => [t.name, t]));
  expect(tests.done.status).toBe('passed');
  expect(tests.forever).toMatchObject({ status: 'other', extra: { reason: 'Cancelled' }, stdout: ['still going'] });
  expect(tests['never-started']).toMatchObject({ status: 'other', extra: { reason: 'Cancelled' } });
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);
  // The report names who started and who cancelled it: here the test's client, Temporal's default identity.
  expect(out.report.results.extra).toMatchObject({ startedBy: `${process.pid}@${hostname()}`, cancelledBy: `${process.pid}@${hostname()}` });
});

test("a run's deadline stops its unfinished validators, deletes their Jobs, and reports RunDeadlineExceeded", async () => {
  const namespace = testNamespace();
  const s = suite('deadline', namespace, [
    sim('done', 'readiness', { 'exit-code': '0' }),
    sim('forever', 'deployment', { hang: 'true', stdout: 'still going' }),
    sim('never-started', 'conformance', { 'exit-code': '0' }),
  ], { deadline: '20s' });
  const out = await withVerdictWorker((taskQueue, client) => client.workflow.execute(runSuite, { taskQueue, workflowId: `deadline-${randomUUID()}`, args: [{ suite: s }] }));
  expect(out.status).toBe('failed');
  const tests = Object.fromEntries(out.report.results.tests.map((t) => [t.name, t]));
  expect(tests.done.status).toBe('passed');
  const past = { status: 'other', message: "the run's deadline of 20s passed before the validator finished", extra: { reason: 'RunDeadlineExceeded' } };
  expect(tests.forever).toMatchObject({ ...past, stdout: ['still going'] });
  expect(tests['never-started']).toMatchObject(past);
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);
});

test('a validator whose Job is deleted under it runs again as a new Job and passes, flaky; a failure is never retried', async () => {
  const namespace = testNamespace();
  const s = suite('retries', namespace, [
    sim('shaky', 'readiness', { 'exit-code': '0', 'duration-seconds': '6' }, { retries: 2 }),
    sim('broken', 'readiness', { 'exit-code': '1' }, { retries: 2 }),
  ], { failFast: false });
  const recorder = await recordJobCreations(namespace);
  const { batch, core } = clients();
  const out = await withVerdictWorker(async (taskQueue, client) => {
    const handle = await client.workflow.start(runSuite, { taskQueue, workflowId: `retries-${randomUUID()}`, args: [{ suite: s }] });
    // Somebody deletes the first attempt's Job while its pod runs: infrastructure, not the validator's answer.
    const first = await eventually(async () => (await core.listNamespacedPod({ namespace, labelSelector: 'verdict.dev/validator=shaky' })).items.find((p) => p.status?.phase === 'Running')?.metadata?.labels?.['job-name'], 'the first pod to run');
    await batch.deleteNamespacedJob({ namespace, name: first, propagationPolicy: 'Background' });
    await eventually(async () => ((await handle.query(progressQuery)).validators.find((v) => v.name === 'shaky')?.attempt === 2 ? true : undefined), 'the second attempt');
    return handle.result();
  });
  recorder.stop();
  const tests = Object.fromEntries(out.report.results.tests.map((t) => [t.name, t]));
  expect(tests.shaky).toMatchObject({ status: 'passed', retries: 1, flaky: true, retryAttempts: [{ attempt: 1, status: 'other', extra: { reason: 'Deleted' } }] });
  expect(tests.shaky.extra?.jobName).not.toBe(tests.shaky.retryAttempts?.[0].extra.jobName);
  expect(tests.broken).toMatchObject({ status: 'failed', extra: { exitCode: 1 } });
  expect(tests.broken.retries).toBeUndefined();
  expect(recorder.counts()).toEqual({ shaky: 2, broken: 1 });
  expect((await batch.listNamespacedJob({ namespace })).items).toEqual([]);
});
