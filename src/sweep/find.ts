// Lists every object labelled ours that the sweeper handles, in one namespace (with the
// cluster-scoped objects tagged with it) or everywhere the caller may list.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { Clients } from '../k8s/client';
import { k8sCall, statusCode, toFailure } from '../k8s/errors';
import { labelKeys, managedBy, managedBySelector } from '../core/labels';
import type { Found, SweptKind } from '../core/sweep-plan';

type Listed = { items: { metadata?: V1ObjectMeta }[] };
type Lister = (c: Clients, labelSelector: string, namespace?: string) => Promise<Listed>;

const namespaced = (inNs: (c: Clients, o: { namespace: string; labelSelector: string }) => Promise<Listed>, all: (c: Clients, o: { labelSelector: string }) => Promise<Listed>): Lister =>
  (c, labelSelector, namespace) => (namespace ? inNs(c, { namespace, labelSelector }) : all(c, { labelSelector }));

const listers: Record<SweptKind, Lister> = {
  Job: namespaced((c, o) => c.batch.listNamespacedJob(o), (c, o) => c.batch.listJobForAllNamespaces(o)),
  Pod: namespaced((c, o) => c.core.listNamespacedPod(o), (c, o) => c.core.listPodForAllNamespaces(o)),
  ServiceAccount: namespaced((c, o) => c.core.listNamespacedServiceAccount(o), (c, o) => c.core.listServiceAccountForAllNamespaces(o)),
  ConfigMap: namespaced((c, o) => c.core.listNamespacedConfigMap(o), (c, o) => c.core.listConfigMapForAllNamespaces(o)),
  Secret: namespaced((c, o) => c.core.listNamespacedSecret(o), (c, o) => c.core.listSecretForAllNamespaces(o)),
  // Cluster-scoped: a run's bindings carry its namespace as a label.
  ClusterRoleBinding: (c, labelSelector, namespace) => c.rbac.listClusterRoleBinding({ labelSelector: namespace ? `${labelSelector},${labelKeys.namespace}=${namespace}` : labelSelector }),
  Namespace: (c, labelSelector, namespace) => c.core.listNamespace({ labelSelector, ...(namespace ? { fieldSelector: `metadata.name=${namespace}` } : {}) }),
};

function toFound(kind: SweptKind, m: V1ObjectMeta | undefined): Found {
  return {
    kind,
    name: m?.name ?? '',
    namespace: kind === 'ClusterRoleBinding' || kind === 'Namespace' ? undefined : m?.namespace,
    uid: m?.uid ?? '',
    resourceVersion: m?.resourceVersion,
    createdMs: m?.creationTimestamp ? new Date(m.creationTimestamp).getTime() : 0,
    labels: m?.labels ?? {},
    annotations: m?.annotations ?? {},
    terminating: Boolean(m?.deletionTimestamp),
  };
}

export interface FoundOurs {
  objects: Found[];
  /** Kinds the caller may not list, so they are not swept (a worker's role may not list Secrets, say). */
  unlisted: string[];
}

export async function findOurs(c: Clients, namespace?: string): Promise<FoundOurs> {
  const where = namespace ? `in namespace ${namespace}` : 'in all namespaces';
  const unlisted: string[] = [];
  const lists = await Promise.all(
    Object.entries(listers).map(async ([kind, list]) => {
      try {
        return (await list(c, managedBySelector, namespace)).items.map((i) => toFound(kind as SweptKind, i.metadata));
      } catch (err) {
        if (statusCode(err) !== 403) throw toFailure(err, `listing ${kind}s labelled ${managedBySelector} ${where}`);
        unlisted.push(`${kind}s (listing them ${where} is forbidden)`);
        return [];
      }
    }),
  );
  return { objects: lists.flat(), unlisted };
}

/** Made by Kubernetes itself in every namespace: they do not make a namespace someone else's. */
const automatic = new Set(['ConfigMap/kube-root-ca.crt', 'ServiceAccount/default']);

/**
 * Objects not labelled ours in a namespace, among the kinds Verdict works with: any of them means
 * someone else uses the namespace (a Secret a suite references, say), so the sweeper keeps it.
 */
export async function othersIn(c: Clients, namespace: string): Promise<string[]> {
  const kinds: SweptKind[] = ['Job', 'Pod', 'ServiceAccount', 'ConfigMap', 'Secret'];
  const lists = await Promise.all(
    kinds.map((kind) =>
      k8sCall(`listing ${kind}s in namespace ${namespace}`, () => listers[kind](c, '', namespace)).then((l) =>
        l.items.filter((i) => i.metadata?.labels?.[managedBy.key] !== managedBy.value).map((i) => `${kind}/${i.metadata?.name}`),
      ),
    ),
  );
  return lists.flat().filter((o) => !automatic.has(o));
}
