// Extra kwok nodes for the scale figure: built like the sandbox's own, tainted so only the bench's
// pods (which tolerate the taint) land on them, and labelled so they are removed afterwards.
import { managedBy } from '../src/core/labels';
import { ports } from '../src/sandbox/layout';
import { nodeManifests } from '../src/sandbox/nodes';
import { kubectl } from '../src/sandbox/sandbox';
import { benchRunLabel } from './identity';
import { benchTaint } from './workload';

interface NodeManifest {
  metadata: { name: string; labels: Record<string, string> };
  spec: { taints?: object[] };
}

const countNodes = () => kubectl(['get', 'nodes', '-o', 'name']).split('\n').filter(Boolean).length;

/** Registers nodes until the cluster has at least `total`, and waits until they are Ready. Returns how many it added. */
export async function addNodes(benchId: string, total: number): Promise<number> {
  const missing = Math.max(0, total - countNodes());
  if (missing === 0) return 0;
  const template = nodeManifests(1, ports().kubelet)[0] as NodeManifest;
  const items = Array.from({ length: missing }, (_, i) => {
    const n = structuredClone(template);
    n.metadata.name = `verdict-bench-${benchId}-${i + 1}`;
    n.metadata.labels = { ...n.metadata.labels, 'kubernetes.io/hostname': n.metadata.name, 'app.kubernetes.io/part-of': 'verdict-bench', [managedBy.key]: managedBy.value, [benchRunLabel]: benchId };
    n.spec = { taints: [{ key: benchTaint, value: benchId, effect: 'NoSchedule' }] };
    return n;
  });
  kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  for (let waited = 0; waited < 60_000; waited += 1_000) {
    const ready = kubectl(['get', 'nodes', '-l', `${benchRunLabel}=${benchId}`, '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}']).split(' ');
    if (ready.filter((s) => s === 'True').length === missing) return missing;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`the ${missing} bench nodes did not become Ready within 60s (is kwok running? see \`verdict sandbox status\`)`);
}

export function removeNodes(benchId: string): void {
  kubectl(['delete', 'nodes', '-l', `${benchRunLabel}=${benchId}`, '--ignore-not-found', '--wait=true']);
}
