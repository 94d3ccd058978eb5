// A log read that fails (the node's kubelet does not answer) is not a lost result: the exit code the
// pod already shows is reported, with a note that the logs were unavailable, and the Job is deleted.
import { randomUUID } from 'node:crypto';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { eventually } from '../harness/eventually';
import { sim, suite } from '../harness/suites';
import { restart } from '../../src/sandbox/sandbox';
import { runSuite } from '../../src/workflows';

jest.setTimeout(180_000);

test('with the kubelet not answering log requests, the report keeps the exit code and says the logs were unavailable', async () => {
  const namespace = testNamespace();
  const s = suite('no-logs', namespace, [sim('fails', 'deployment', { 'exit-code': '1', 'duration-seconds': '4', message: 'driver missing', stdout: 'never read' })]);
  const out = await withVerdictWorker(async (taskQueue, client) => {
    const handle = await client.workflow.start(runSuite, { taskQueue, workflowId: `no-logs-${randomUUID()}`, args: [{ suite: s }] });
    await eventually(async () => ((await clients().core.listNamespacedPod({ namespace })).items.some((p) => p.status?.phase === 'Running') ? true : undefined), 'the pod to run');
    // The stand-in for the kubelet's log endpoint goes away while the validator runs, and stays away past the read's retries.
    const outage = restart('kubelet-logs', { downtimeMs: 30_000 });
    const result = await handle.result();
    await outage;
    return result;
  });
  const [t] = out.report.results.tests;
  expect(t).toMatchObject({ name: 'fails', status: 'failed', extra: { exitCode: 1 } });
  expect(t.stdout ?? []).toEqual([]); // nothing of the log was read
  expect(t.message).toMatch(/^driver missing; its logs could not be read: reading the logs of pod verdict-[0-9a-f]{16}-fails-\w+: /);
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);
});
