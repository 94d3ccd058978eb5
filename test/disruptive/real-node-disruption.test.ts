// Kubernetes taking a running validator away on the sandbox's real node: an eviction through the
// Eviction API, and the node lost (its kubelet stopped and kept down). What Verdict reports, and how
// long it takes to say so. The sandbox's node grace periods are seconds (src/sandbox/components.ts).
import { randomUUID } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { eventually } from '../harness/eventually';
import { realNodeName, requireRealNode, script } from '../harness/real-node';
import { restart } from '../../src/sandbox/sandbox';
import { stop } from '../../src/sandbox/processes';
import { runSuite } from '../../src/workflows';

jest.setTimeout(300_000);
beforeAll(requireRealNode);

/** Says it started, then waits; on SIGTERM says so and exits 143 at once, as a well-behaved validator does. */
const waits = `trap 'echo terminated; exit 143' TERM; echo started; sleep 600 & wait`;

/** The validator's pod once its container has printed, i.e. runs. */
async function runningPod(namespace: string): Promise<V1Pod> {
  return eventually(async () => {
    const pod = (await clients().core.listNamespacedPod({ namespace })).items.find((p) => p.status?.containerStatuses?.some((c) => c.state?.running));
    if (!pod) return undefined;
    const log = await clients().core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace, container: 'validator' }).catch(() => '');
    return String(log).includes('started') ? pod : undefined;
  }, 'the validator to run on the real node', 60_000);
}

/** Resolves once Kubernetes has marked the pod for disruption (its DisruptionTarget condition): Kubernetes' part of the delay. */
async function disruptionMarked(namespace: string, name: string): Promise<void> {
  await eventually(async () => {
    const pod = await clients().core.readNamespacedPod({ name, namespace }).catch(() => undefined);
    return pod?.status?.conditions?.some((c) => c.type === 'DisruptionTarget' && c.status === 'True') ? true : undefined;
  }, 'the pod to be marked DisruptionTarget', 120_000);
}

/** Runs one waiting validator and does `disrupt` once it runs: the result and the seconds from the disruption to the result. */
async function runDisrupted(name: string, disrupt: (pod: V1Pod) => Promise<void>) {
  const namespace = testNamespace();
  return withVerdictWorker(async (taskQueue, client) => {
    const handle = await client.workflow.start(runSuite, {
      taskQueue,
      workflowId: `${name}-${randomUUID()}`,
      args: [{ suite: { name, namespace, validators: [script('waits', 'readiness', waits, { timeout: '3m' })] } }],
    });
    const pod = await runningPod(namespace);
    const disruptedAt = Date.now();
    await disrupt(pod);
    const marked = disruptionMarked(namespace, pod.metadata!.name!).then(() => (Date.now() - disruptedAt) / 1000);
    const output = await handle.result();
    return { output, seconds: (Date.now() - disruptedAt) / 1000, kubernetesSeconds: await marked, namespace };
  });
}

test('a validator evicted through the Eviction API mid-run: other, EvictionByEvictionAPI, the kill\'s exit code, reported within seconds', async () => {
  const { output, seconds, kubernetesSeconds, namespace } = await runDisrupted('real-evicted', async (pod) => {
    const { name, namespace: ns } = pod.metadata!;
    await clients().core.createNamespacedPodEviction({ name: name!, namespace: ns!, body: { metadata: { name, namespace: ns } } });
  });
  const [t] = output.report.results.tests;
  console.log(`eviction: marked after ${kubernetesSeconds.toFixed(1)} s, reported after ${seconds.toFixed(1)} s: ${JSON.stringify(t)}`);
  // The script's exit on SIGTERM is the kill's, not a verdict: the eviction is the reason.
  expect(t).toMatchObject({
    name: 'waits',
    status: 'other',
    message: 'Eviction API: evicting',
    stdout: ['started', 'terminated'],
    extra: { exitCode: 143, reason: 'EvictionByEvictionAPI', podReason: 'EvictionByEvictionAPI', node: realNodeName },
  });
  // Reported once the container has exited, well inside the pod's 30 s grace period.
  expect(seconds).toBeLessThan(30);
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);
});

test('the node lost mid-run (its kubelet stopped and kept down): other, with the node\'s loss as the reason, reported within the grace periods', async () => {
  let lost = '';
  try {
    const { output, seconds, kubernetesSeconds, namespace } = await runDisrupted('real-node-lost', () => stop('kubelet'));
    lost = namespace;
    const [t] = output.report.results.tests;
    console.log(`node lost: marked after ${kubernetesSeconds.toFixed(1)} s, reported after ${seconds.toFixed(1)} s: ${JSON.stringify(t)}`);
    // The pod still shows its container running (nobody can tell how it ended); the taint manager's
    // deletion is the reason, and the logs are out of reach with the kubelet.
    expect(t).toMatchObject({ name: 'waits', status: 'other', extra: { exitCode: -1, reason: 'DeletionByTaintManager', podReason: 'DeletionByTaintManager', node: realNodeName } });
    expect(t.message).toMatch(/^Taint manager: deleting due to NoExecute taint; its logs could not be read: /);
    // Kubernetes takes the node grace period plus the unreachable toleration (20 s + 10 s here);
    // Verdict should say so within seconds of it, not wait for a pod that cannot end.
    expect(seconds - kubernetesSeconds).toBeLessThan(15);
    // The Job's deletion is asked for; it completes once the node is back (a lost node's pod stays Terminating).
    for (const job of (await clients().batch.listNamespacedJob({ namespace })).items) expect(job.metadata?.deletionTimestamp).toBeDefined();
  } finally {
    await restart('kubelet');
    await requireRealNodeAgain();
  }
  await eventually(async () => ((await clients().batch.listNamespacedJob({ namespace: lost })).items.length === 0 ? true : undefined), 'the Job to be gone once the node is back', 90_000);
});

/** The restored kubelet makes the node Ready again (and finishes deleting what was left on it). */
async function requireRealNodeAgain(): Promise<void> {
  await eventually(async () => {
    await requireRealNode();
    return true;
  }, 'the real node to be Ready again', 90_000);
}
