// Finds objects labelled ours, in one namespace or anywhere, and marks of ours left on a
// namespace that existed before (Verdict must never write to one it did not create).
import type { V1Namespace } from '@kubernetes/client-node';
import type { Clients } from '../../src/k8s/client';
import { fieldManager } from '../../src/k8s/apply';
import { labelKeys, managedBy, managedBySelector } from '../../src/core/labels';

/** The harness's own label on each test namespace: not Verdict's. */
export const testNamespaceLabel = 'verdict.dev/test';

/** Verdict's labels, annotations and field ownership on `ns`: one line each, empty when it carries none. */
export function marksOf(ns: V1Namespace): string[] {
  const ours = (key: string) => key.startsWith('verdict.dev/') && key !== testNamespaceLabel;
  const labels = Object.entries(ns.metadata?.labels ?? {}).filter(([k, v]) => ours(k) || (k === managedBy.key && v === managedBy.value) || (k === 'app.kubernetes.io/part-of' && v === 'verdict'));
  const annotations = Object.keys(ns.metadata?.annotations ?? {}).filter(ours);
  const managers = (ns.metadata?.managedFields ?? []).filter((f) => f.manager === fieldManager);
  return [
    ...labels.map(([k, v]) => `label ${k}=${v}`),
    ...annotations.map((k) => `annotation ${k}`),
    ...managers.map((f) => `fields managed by ${f.manager} (${f.operation})`),
  ].map((m) => `Namespace/${ns.metadata?.name}: ${m}`);
}

type Named = { metadata?: { name?: string; namespace?: string; deletionTimestamp?: unknown } };
const names = (kind: string, items: Named[]) =>
  items.map((i) => `${kind}/${i.metadata?.namespace ? `${i.metadata.namespace}/` : ''}${i.metadata?.name}${i.metadata?.deletionTimestamp ? ' (terminating)' : ''}`);

/** Leftovers once deletions already under way have had `graceMs` to finish. */
export async function settledLeftovers(c: Clients, namespace?: string, graceMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  let found = await leftovers(c, namespace);
  while (found.some((o) => o.endsWith('(terminating)')) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    found = await leftovers(c, namespace);
  }
  return found;
}

/** Objects labelled ours: within `namespace` (and cluster-scoped ones tagged with it), or cluster-wide. */
export async function leftovers(c: Clients, namespace?: string): Promise<string[]> {
  const labelSelector = managedBySelector;
  const clusterSelector = namespace ? `${managedBySelector},${labelKeys.namespace}=${namespace}` : managedBySelector;
  const ns = async <T extends Named>(kind: string, all: (o: { labelSelector: string }) => Promise<{ items: T[] }>, inNs: (o: { namespace: string; labelSelector: string }) => Promise<{ items: T[] }>) =>
    names(kind, (namespace ? await inNs({ namespace, labelSelector }) : await all({ labelSelector })).items);
  const found = await Promise.all([
    ns('Job', (o) => c.batch.listJobForAllNamespaces(o), (o) => c.batch.listNamespacedJob(o)),
    ns('Pod', (o) => c.core.listPodForAllNamespaces(o), (o) => c.core.listNamespacedPod(o)),
    ns('ConfigMap', (o) => c.core.listConfigMapForAllNamespaces(o), (o) => c.core.listNamespacedConfigMap(o)),
    ns('Secret', (o) => c.core.listSecretForAllNamespaces(o), (o) => c.core.listNamespacedSecret(o)),
    ns('ServiceAccount', (o) => c.core.listServiceAccountForAllNamespaces(o), (o) => c.core.listNamespacedServiceAccount(o)),
    ns('RoleBinding', (o) => c.rbac.listRoleBindingForAllNamespaces(o), (o) => c.rbac.listNamespacedRoleBinding(o)),
    c.rbac.listClusterRoleBinding({ labelSelector: clusterSelector }).then((l) => names('ClusterRoleBinding', l.items)),
    c.rbac.listClusterRole({ labelSelector: clusterSelector }).then((l) => names('ClusterRole', l.items)),
    c.core.listNamespace({ labelSelector: managedBySelector }).then((l) =>
      names('Namespace', l.items.filter((n) => !namespace || (n.metadata?.name?.startsWith(`${namespace}-`) ?? false))),
    ),
  ]);
  return found.flat();
}
