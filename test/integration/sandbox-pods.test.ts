// The sandbox's simulated validators, through the real apiserver, controllers and scheduler.
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { eventually } from '../harness/eventually';
import { gpuNode } from '../../src/sandbox/nodes';

const sim = (a: Record<string, string>) => Object.fromEntries(Object.entries(a).map(([k, v]) => [`sandbox.verdict.dev/${k}`, v]));

function job(name: string, annotations: Record<string, string>): V1Job {
  return {
    metadata: { name },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { annotations: sim(annotations) },
        spec: { restartPolicy: 'Never', containers: [{ name: 'validator', image: 'example.com/check:1' }] },
      },
    },
  };
}

async function podOf(namespace: string, jobName: string): Promise<V1Pod | undefined> {
  const pods = await clients().core.listNamespacedPod({ namespace, labelSelector: `job-name=${jobName}` });
  return pods.items[0];
}

const condition = (j: V1Job, type: string) => j.status?.conditions?.find((c) => c.type === type && c.status === 'True');

test('a failing validator: exit code, termination message, logs and Job condition', async () => {
  const namespace = testNamespace();
  const { batch, core } = clients();
  await batch.createNamespacedJob({ namespace, body: job('fails', { 'exit-code': '2', message: 'm', stdout: 'a\nb', 'duration-seconds': '2' }) });

  const pod = await eventually(async () => {
    const p = await podOf(namespace, 'fails');
    return p?.status?.phase === 'Failed' ? p : undefined;
  }, 'the pod to fail');
  const terminated = pod.status?.containerStatuses?.[0].state?.terminated;
  expect(terminated?.exitCode).toBe(2);
  expect(terminated?.message).toBe('m');
  const ran = Date.parse(String(terminated?.finishedAt)) - Date.parse(String(terminated?.startedAt));
  expect(ran).toBeGreaterThanOrEqual(2000);

  const logs = await core.readNamespacedPodLog({ namespace, name: pod.metadata!.name!, container: 'validator' });
  expect(logs).toBe('a\nb\n');

  await eventually(async () => condition(await batch.readNamespacedJob({ namespace, name: 'fails' }), 'Failed'), 'the Job to fail');
});

test('a passing validator completes, and foreground deletion removes its pod through the garbage collector', async () => {
  const namespace = testNamespace();
  const { batch, core } = clients();
  await batch.createNamespacedJob({ namespace, body: job('passes', { 'exit-code': '0' }) });
  await eventually(async () => condition(await batch.readNamespacedJob({ namespace, name: 'passes' }), 'Complete'), 'the Job to complete');
  const pod = await podOf(namespace, 'passes');
  expect(pod?.status?.phase).toBe('Succeeded');

  await batch.deleteNamespacedJob({ namespace, name: 'passes', propagationPolicy: 'Foreground' });
  // Foreground deletion: the Job stays (with the foregroundDeletion finalizer) until the GC has removed its pod.
  await eventually(async () => ((await core.listNamespacedPod({ namespace })).items.length === 0 ? true : undefined), 'the pod to be deleted');
  await eventually(async () => ((await batch.listNamespacedJob({ namespace })).items.length === 0 ? true : undefined), 'the Job to be deleted');
});

test('scheduling is real: an unmatched nodeSelector stays Unschedulable; the GPU selector and toleration land on the GPU node', async () => {
  const namespace = testNamespace();
  const { core } = clients();
  const pod = (name: string, spec: Partial<V1Pod['spec']>): V1Pod => ({
    metadata: { name, annotations: sim({ hang: 'true' }) },
    spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'example.com/check:1' }], ...spec },
  });

  await core.createNamespacedPod({ namespace, body: pod('nowhere', { nodeSelector: { 'example.com/no-such-node': 'true' } }) });
  const scheduled = await eventually(async () => {
    const p = await core.readNamespacedPod({ namespace, name: 'nowhere' });
    return p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  }, 'the scheduler to decide');
  expect(scheduled).toMatchObject({ status: 'False', reason: 'Unschedulable' });

  // The GPU node is tainted: its label alone is not enough.
  await core.createNamespacedPod({ namespace, body: pod('gpu-no-toleration', { nodeSelector: { [gpuNode.label.key]: gpuNode.label.value } }) });
  await core.createNamespacedPod({
    namespace,
    body: pod('gpu', {
      nodeSelector: { [gpuNode.label.key]: gpuNode.label.value },
      tolerations: [{ key: gpuNode.taint.key, operator: 'Exists', effect: 'NoSchedule' }],
    }),
  });
  const placed = await eventually(async () => (await core.readNamespacedPod({ namespace, name: 'gpu' })).spec?.nodeName, 'the GPU pod to be scheduled');
  expect(placed).toBe('verdict-gpu-1');
  const refused = await eventually(async () => {
    const p = await core.readNamespacedPod({ namespace, name: 'gpu-no-toleration' });
    return p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  }, 'the scheduler to refuse the untolerated pod');
  expect(refused).toMatchObject({ status: 'False', reason: 'Unschedulable' });
  expect(refused.message).toContain('untolerated taint');
});

test('an image that never pulls leaves the container waiting with the pull error', async () => {
  const namespace = testNamespace();
  const { batch } = clients();
  await batch.createNamespacedJob({ namespace, body: job('no-image', { 'image-pull-error': 'manifest unknown' }) });
  const waiting = await eventually(async () => (await podOf(namespace, 'no-image'))?.status?.containerStatuses?.[0].state?.waiting, 'the container to wait');
  expect(['ErrImagePull', 'ImagePullBackOff']).toContain(waiting.reason);
  expect(waiting.message).toContain('manifest unknown');
  const backoff = await eventually(async () => {
    const w = (await podOf(namespace, 'no-image'))?.status?.containerStatuses?.[0].state?.waiting;
    return w?.reason === 'ImagePullBackOff' ? w : undefined;
  }, 'the pull to back off');
  expect(backoff.message).toContain('manifest unknown');
});

test('a hanging validator keeps running', async () => {
  const namespace = testNamespace();
  const { batch } = clients();
  await batch.createNamespacedJob({ namespace, body: job('hangs', { hang: 'true', 'exit-code': '0' }) });
  const started = await eventually(async () => (await podOf(namespace, 'hangs'))?.status?.containerStatuses?.[0].state?.running, 'the pod to run');
  expect(started.startedAt).toBeDefined();
  await new Promise((r) => setTimeout(r, 3000));
  const pod = await podOf(namespace, 'hangs');
  expect(pod?.status?.phase).toBe('Running');
});
