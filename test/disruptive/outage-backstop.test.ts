// A worker outage longer than Kubernetes' backstop must not destroy the evidence: the hung
// validator's pod and its output survive, and a validator that finished during the outage reports
// its real result, not Verdict's timer.
import { randomUUID } from 'node:crypto';
import { withVerdictWorker } from '../harness/verdict-worker';
import { withClient } from '../harness/temporal';
import { kill, spawnWorker } from '../harness/worker-process';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { eventually } from '../harness/eventually';
import { sim, suite } from '../harness/suites';
import { backstops } from '../../src/core/job';
import { runSuite } from '../../src/workflows';

jest.setTimeout(300_000);

test('a worker down past the old 60 s backstop: the hung pod keeps its output, and a validator that finished meanwhile keeps its exit code', async () => {
  const namespace = testNamespace();
  const taskQueue = `outage-${randomUUID()}`;
  const workflowId = `outage-${randomUUID()}`;
  const s = suite('outage', namespace, [
    sim('hangs', 'deployment', { hang: 'true', stdout: 'written before the outage' }, { timeout: '5s' }),
    sim('finishes', 'deployment', { 'exit-code': '1', 'duration-seconds': '3', message: 'real failure', stdout: 'checked' }, { timeout: '20s' }),
  ], { concurrency: 2 });
  const worker = await spawnWorker(taskQueue);
  try {
    await withClient((client) => client.workflow.start(runSuite, { taskQueue, workflowId, args: [{ suite: s }] }));
    await eventually(async () => ((await clients().core.listNamespacedPod({ namespace })).items.filter((p) => p.status?.phase === 'Running').length === 2 ? true : undefined), 'both pods running', 60_000);
  } finally {
    await kill(worker);
  }
  // Past the hung validator's timeout plus the old Job-level backstop, which deleted the pod and its logs.
  const outageMs = (5 + backstops.legacy.jobDeadlineSeconds + 15) * 1000;
  await new Promise((r) => setTimeout(r, outageMs));
  const pods = (await clients().core.listNamespacedPod({ namespace })).items;
  expect(pods.filter((p) => !p.metadata?.deletionTimestamp)).toHaveLength(2);

  const out = await withVerdictWorker((_, client) => client.workflow.getHandle<typeof runSuite>(workflowId).result(), taskQueue);
  const byName = Object.fromEntries(out.report.results.tests.map((t) => [t.name, t]));
  expect(byName.hangs).toMatchObject({ status: 'other', extra: { reason: 'Timeout' }, stdout: ['written before the outage'] });
  expect(byName.finishes).toMatchObject({ status: 'failed', message: 'real failure', stdout: ['checked'], extra: { exitCode: 1 } });
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);
});
