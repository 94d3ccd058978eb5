// Server-side apply under Verdict's field manager. Not forced: a field someone else manages is a
// conflict (non-retryable), never silently taken over.
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import type { Clients } from './client';
import { k8sCall } from './errors';

export const fieldManager = 'verdict';

export function describe(obj: KubernetesObject): string {
  return `${obj.kind} ${obj.metadata?.name}${obj.metadata?.namespace ? ` in namespace ${obj.metadata.namespace}` : ''}`;
}

export function apply<T extends KubernetesObject>(c: Clients, obj: T): Promise<T> {
  return k8sCall(`applying ${describe(obj)}`, () => c.objects.patch(obj, undefined, undefined, fieldManager, false, PatchStrategy.ServerSideApply));
}
