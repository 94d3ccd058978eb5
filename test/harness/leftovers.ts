// Finds objects labelled ours, in one namespace or anywhere.
import type { Clients } from '../../src/k8s/client';
import { labelKeys, managedBySelector } from '../../src/core/labels';

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
