// Runs before every disruptive test: the test before may have stopped the API server, the kubelet
// or a node, and Kubernetes takes a while to take back what it did meanwhile (a node marked
// unreachable and tainted NoExecute). Each test starts on a cluster whose nodes are all Ready and
// free of Kubernetes' own condition taints, so what it sees is its own disruption.
import type { V1Node } from '@kubernetes/client-node';
import { clients } from './k8s';
import { eventually } from './eventually';

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

beforeEach(() => clusterSettled(), 130_000);
