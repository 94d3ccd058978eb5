// Records every Job created in a namespace (by uid), to prove a run created exactly one per validator.
import { Watch } from '@kubernetes/client-node';
import { clients } from './k8s';

export async function recordJobCreations(namespace: string) {
  const { config, batch } = clients();
  const list = await batch.listNamespacedJob({ namespace });
  const created = new Map<string, Set<string>>();
  const abort = await new Watch(config).watch(
    `/apis/batch/v1/namespaces/${namespace}/jobs`,
    { resourceVersion: list.metadata?.resourceVersion },
    (type: string, obj: { metadata: { name: string; uid: string; labels?: Record<string, string> } }) => {
      if (type !== 'ADDED') return;
      const validator = obj.metadata.labels?.['verdict.dev/validator'] ?? obj.metadata.name;
      created.set(validator, (created.get(validator) ?? new Set()).add(obj.metadata.uid));
    },
    () => undefined,
  );
  return {
    /** Validator name -> how many distinct Jobs were ever created for it. */
    counts: () => Object.fromEntries([...created].map(([name, uids]) => [name, uids.size])),
    stop: () => abort.abort(),
  };
}
