// Ensure the run's namespace exists and is marked ours. A namespace Verdict did not create is
// only labelled (and Verdict never deletes it); one it created carries an annotation saying so.
import type { V1Namespace } from '@kubernetes/client-node';
import type { Clients } from '../k8s/client';
import { isConflict, toFailure } from '../k8s/errors';
import { apply } from '../k8s/apply';
import { managedBy } from '../core/labels';

export const createdByAnnotation = 'verdict.dev/created-by-verdict';

export function namespaceActivities(c: Clients) {
  return {
    async ensureNamespace(input: { namespace: string }): Promise<{ createdByVerdict: boolean }> {
      const { namespace } = input;
      const labels = { [managedBy.key]: managedBy.value };
      try {
        await c.core.createNamespace({ body: { metadata: { name: namespace, labels, annotations: { [createdByAnnotation]: 'true' } } } });
        return { createdByVerdict: true };
      } catch (err) {
        if (!isConflict(err)) throw toFailure(err, `creating namespace ${namespace}`);
      }
      const ns: V1Namespace = await apply(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } });
      return { createdByVerdict: ns.metadata?.annotations?.[createdByAnnotation] === 'true' };
    },
  };
}
