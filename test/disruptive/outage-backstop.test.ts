// A worker outage longer than Kubernetes' backstop must not destroy the evidence: the hung
// validator's pod and its output survive, and a validator that finished during the outage reports
// its real result, not Verdict's timer.
import { randomUUID } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { withVerdictWorker } from '../harness/verdict-worker';
import { withClient } from '../harness/temporal';
import { kill, spawnWorker } from '../harness/worker-process';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { eventually } from '../harness/eventually';
import { sim, suite } from '../harness/suites';
import { realNodeName, requireRealNode, script } from '../harness/real-node';
import { backstops } from '../../src/core/job';
import { runSuite } from '../../src/workflows';

jest.setTimeout(480_000);

/** What a pod is doing, for a failure message. */
const describePod = (p: V1Pod) => ({
  name: p.metadata?.name,
  node: p.spec?.nodeName,
  phase: p.status?.phase,
  conditions: p.status?.conditions?.filter((c) => c.status !== 'True').map((c) => `${c.type}: ${c.reason ?? ''} ${c.message ?? ''}`),
  containers: p.status?.containerStatuses?.map((c) => ({ name: c.name, state: c.state })),
});
beforeAll(requireRealNode);

test("a worker down past the backstops: the hung pods keep their output (the real node's deadline kills the container, not the pod), and a validator that finished meanwhile keeps its exit code", async () => {
  const namespace = testNamespace();
  const taskQueue = `outage-${randomUUID()}`;
  const workflowId = `outage-${randomUUID()}`;
  const s = suite('outage', namespace, [
    sim('hangs', 'deployment', { hang: 'true', stdout: 'written before the outage' }, { timeout: '5s' }),
    sim('finishes', 'deployment', { 'exit-code': '1', 'duration-seconds': '3', message: 'real failure', stdout: 'checked' }, { timeout: '20s' }),
    // On the real node the kubelet enforces the pod's deadline: it kills the container, and keeps the pod and its log.
    script('real-hangs', 'deployment', 'echo written before the outage; exec sleep 600', { timeout: '5s' }),
  ], { concurrency: 3 });
  const worker = await spawnWorker(taskQueue);
  try {
    await withClient((client) => client.workflow.start(runSuite, { taskQueue, workflowId, args: [{ suite: s }] }));
    // Every container started (the short one may have ended already): the run is inside its waits.
    const started = (p: V1Pod) => ['Running', 'Succeeded', 'Failed'].includes(p.status?.phase ?? '');
    let seen: V1Pod[] = [];
    await eventually(async () => {
      seen = (await clients().core.listNamespacedPod({ namespace })).items;
      return seen.filter(started).length === 3 ? true : undefined;
    }, 'every pod started', 120_000).catch((err: Error) => {
      throw new Error(`${err.message}; the pods: ${JSON.stringify(seen.map(describePod))}`);
    });
  } finally {
    await kill(worker);
  }
  // Past the hung validator's timeout plus the old Job-level backstop, which deleted the pod and its logs.
  const outageMs = (5 + backstops.legacy.jobDeadlineSeconds + 15) * 1000;
  await new Promise((r) => setTimeout(r, outageMs));
  // The kubelet enforces a pod's deadline on its periodic sync (seen here up to ~40 s late): wait for it.
  const pods = await eventually(async () => {
    const items = (await clients().core.listNamespacedPod({ namespace })).items;
    return items.find((p) => p.spec?.nodeName === realNodeName)?.status?.reason === 'DeadlineExceeded' ? items : undefined;
  }, "the real node's kubelet to stop the hung container", 120_000);
  expect(pods.filter((p) => !p.metadata?.deletionTimestamp)).toHaveLength(3);
  expect(pods.find((p) => p.spec?.nodeName === realNodeName)?.status?.phase).toBe('Failed');

  const out = await withVerdictWorker((_, client) => client.workflow.getHandle<typeof runSuite>(workflowId).result(), taskQueue);
  const byName = Object.fromEntries(out.report.results.tests.map((t) => [t.name, t]));
  expect(byName.hangs).toMatchObject({ status: 'other', extra: { reason: 'Timeout' }, stdout: ['written before the outage'] });
  expect(byName.finishes).toMatchObject({ status: 'failed', message: 'real failure', stdout: ['checked'], extra: { exitCode: 1 } });
  // Verdict's timer or the pod's deadline may decide first once the worker is back: both say the
  // validator ran out of time, and the output up to the kill is there.
  expect(byName['real-hangs']).toMatchObject({ status: 'other', stdout: ['written before the outage'], extra: { podReason: 'DeadlineExceeded', node: realNodeName } });
  expect(['Timeout', 'DeadlineExceeded']).toContain(byName['real-hangs'].extra?.reason);
  expect(byName['real-hangs'].message).toMatch(/^timeout: the validator did not complete within 5s/);
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);
});
