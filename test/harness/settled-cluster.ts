// Runs before every disruptive test: the test before may have stopped the API server, the kubelet
// or a node, and Kubernetes takes a while to take back what it did meanwhile (a node marked
// unreachable and tainted NoExecute; a Job controller whose pod cache is behind after an API server
// restart, which refuses to sync Jobs until it catches up). Each test starts on a cluster whose
// nodes are all Ready and free of Kubernetes' own condition taints, and whose Job controller and
// scheduler turn a Job into a placed pod, so what it sees is its own disruption.
import type { V1Node } from '@kubernetes/client-node';
import { clients } from './k8s';
import { eventually } from './eventually';
import { testNamespace } from './namespace';

/** Why a node is not ready for pods, or undefined when it is. */
function unsettled(node: V1Node): string | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return `${node.metadata?.name} Ready=${ready?.status ?? 'missing'} (${ready?.reason ?? ''})`;
  const taints = (node.spec?.taints ?? []).filter((t) => t.key.startsWith('node.kubernetes.io/'));
  return taints.length > 0 ? `${node.metadata?.name} tainted ${taints.map((t) => `${t.key}:${t.effect}`).join(', ')}` : undefined;
}

export async function clusterSettled(timeoutMs = 120_000): Promise<void> {
  let last = '';
  try {
    await eventually(async () => {
      const problems = (await clients().core.listNode()).items.map(unsettled).filter((p): p is string => p !== undefined);
      last = problems.join('; ');
      return problems.length === 0 ? true : undefined;
    }, 'every node to be Ready and untainted', timeoutMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}: ${last}`);
  }
}

/** Resolves once a probe Job in the test's namespace has a pod placed on a node; the probe is then deleted. */
export async function jobsPlaced(namespace: string, timeoutMs = 120_000): Promise<void> {
  const { batch, core } = clients();
  const name = 'settle-probe';
  await batch.createNamespacedJob({ namespace, body: {
    metadata: { name },
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'probe', image: 'example.com/check:1' }] } } },
  } });
  try {
    await eventually(async () => {
      const pods = (await core.listNamespacedPod({ namespace, labelSelector: `job-name=${name}` })).items;
      return pods.some((p) => p.spec?.nodeName) ? true : undefined;
    }, 'a probe Job to get a pod placed on a node (the Job controller and scheduler to be current)', timeoutMs);
  } finally {
    await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' });
  }
}

beforeEach(async () => {
  await clusterSettled();
  await jobsPlaced(testNamespace());
}, 250_000);
