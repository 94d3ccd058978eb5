// Deletes (or, for a namespace an older Verdict labelled without creating it, un-labels) one
// object, with its uid as precondition: an object recreated since it was listed is left alone.
import { PatchStrategy, type V1DeleteOptions, type V1Namespace } from '@kubernetes/client-node';
import type { Clients } from '../k8s/client';
import { fieldManager } from '../k8s/apply';
import { isConflict, isNotFound, toFailure } from '../k8s/errors';
import { managedBy } from '../core/labels';
import { describeObject, type Found, type SweptKind } from '../core/sweep-plan';

export type Removal = 'deleted' | 'gone' | 'changed' | 'unlabelled' | 'label not ours';

type Deleter = (c: Clients, o: Found, body: V1DeleteOptions) => Promise<unknown>;
const ns = (o: Found) => o.namespace ?? '';

const deleters: Record<SweptKind, Deleter> = {
  Job: (c, o, body) => c.batch.deleteNamespacedJob({ name: o.name, namespace: ns(o), body }),
  Pod: (c, o, body) => c.core.deleteNamespacedPod({ name: o.name, namespace: ns(o), body }),
  ServiceAccount: (c, o, body) => c.core.deleteNamespacedServiceAccount({ name: o.name, namespace: ns(o), body }),
  ConfigMap: (c, o, body) => c.core.deleteNamespacedConfigMap({ name: o.name, namespace: ns(o), body }),
  Secret: (c, o, body) => c.core.deleteNamespacedSecret({ name: o.name, namespace: ns(o), body }),
  ClusterRoleBinding: (c, o, body) => c.rbac.deleteClusterRoleBinding({ name: o.name, body }),
  Namespace: (c, o, body) => c.core.deleteNamespace({ name: o.name, body }),
};

export async function deleteFound(c: Clients, o: Found): Promise<Removal> {
  // A namespace also needs its resourceVersion unchanged: a run that ensured it since the listing keeps it.
  // An object found by name, not listed (a Secret), has no uid to hold it to.
  const preconditions = o.kind === 'Namespace' ? { uid: o.uid, resourceVersion: o.resourceVersion } : o.uid ? { uid: o.uid } : undefined;
  try {
    await deleters[o.kind](c, o, { preconditions, propagationPolicy: 'Background' });
    return 'deleted';
  } catch (err) {
    if (isNotFound(err)) return 'gone';
    if (isConflict(err)) return 'changed';
    throw toFailure(err, `deleting ${describeObject(o)}`);
  }
}

/**
 * Server-side apply of nothing under Verdict's field manager gives up every field Verdict set, so
 * the namespace is as it would be had Verdict never touched it; a label someone else set stays.
 * The uid and resourceVersion make it a precondition, never a create.
 */
export async function unlabelNamespace(c: Clients, o: Found): Promise<Removal> {
  const body: V1Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.name, uid: o.uid, resourceVersion: o.resourceVersion } };
  try {
    const after = await c.objects.patch(body, undefined, undefined, fieldManager, false, PatchStrategy.ServerSideApply);
    return after.metadata?.labels?.[managedBy.key] === managedBy.value ? 'label not ours' : 'unlabelled';
  } catch (err) {
    if (isNotFound(err)) return 'gone';
    if (isConflict(err)) return 'changed';
    throw toFailure(err, `removing Verdict's label from ${describeObject(o)}`);
  }
}
