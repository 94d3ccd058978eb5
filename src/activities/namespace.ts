// Ensure the run's namespace exists. Verdict creates it only when it is missing, labelled ours and
// annotated with the run that created it. An existing namespace Verdict created earlier gets the
// current run's identity (so the sweeper never removes a namespace a run has just ensured); any
// other existing namespace is left exactly as it was: no write at all (see docs/decisions/namespaces.md).
// A worker without `create` on namespaces (the chart's) uses one that exists, never writing it.
import { ApplicationFailure } from '@temporalio/common';
import type { V1Namespace } from '@kubernetes/client-node';
import type { Clients } from '../k8s/client';
import { isConflict, statusCode, toFailure } from '../k8s/errors';
import { identityAnnotations, managedBy } from '../core/labels';
import { failureTypes } from '../core/failures';
import { createdByAnnotation, ensuredAtAnnotation } from '../core/namespaces';

export { createdByAnnotation };

export interface EnsureNamespaceInput {
  namespace: string;
  /** The run's identity (src/core/names.ts RunIdentity); absent from runs started before it was passed. */
  runId?: string;
  execution?: string;
}

/**
 * Which run last ensured the namespace, and when: written only on namespaces Verdict created. Only a
 * whole identity is written, so a run started before it was passed never pairs its ID with another run's execution.
 */
function identity(input: EnsureNamespaceInput, now: Date): Record<string, string> {
  const run = input.runId && input.execution ? identityAnnotations({ runId: input.runId, execution: input.execution }) : {};
  return { [ensuredAtAnnotation]: now.toISOString(), ...run };
}

/** JSON Pointer escaping of an annotation key ("/" becomes "~1"). */
const annotationPath = (key: string) => `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

export function namespaceActivities(c: Clients) {
  /**
   * Refreshes the run's identity only if the namespace carries Verdict's created-by annotation: the
   * JSON patch's `test` makes the check and the write one atomic step, so a foreign namespace is
   * never written (the API server refuses the whole patch with 422).
   */
  async function refreshIfOurs(input: EnsureNamespaceInput): Promise<V1Namespace | undefined> {
    const ops = [
      { op: 'test', path: annotationPath(createdByAnnotation), value: 'true' },
      ...Object.entries(identity(input, new Date())).map(([key, value]) => ({ op: 'add', path: annotationPath(key), value })),
    ];
    try {
      return await c.core.patchNamespace({ name: input.namespace, body: ops });
    } catch (err) {
      if (statusCode(err) === 422) return undefined;
      throw toFailure(err, `recording this run on namespace ${input.namespace}`);
    }
  }

  /**
   * A worker that may not create namespaces (the chart's) runs in ones the operator made: it may
   * only read them, by name. One that exists is used as it is; a missing one is the operator's to make.
   */
  async function existsNotOurs(namespace: string, forbidden: unknown): Promise<false> {
    try {
      await c.core.readNamespace({ name: namespace });
      return false;
    } catch (err) {
      if (statusCode(err) !== 404 && statusCode(err) !== 403) throw toFailure(err, `reading namespace ${namespace}`);
      throw toFailure(forbidden, `namespace ${namespace} does not exist, or this worker may not see it, and it may not create one: create it, or add it to the chart's policy.allowedNamespaces`);
    }
  }

  return {
    async ensureNamespace(input: EnsureNamespaceInput): Promise<{ createdByVerdict: boolean }> {
      const { namespace } = input;
      const labels = { [managedBy.key]: managedBy.value, 'app.kubernetes.io/part-of': 'verdict' };
      const annotations = { [createdByAnnotation]: 'true', ...identity(input, new Date()) };
      try {
        await c.core.createNamespace({ body: { metadata: { name: namespace, labels, annotations } } });
        return { createdByVerdict: true };
      } catch (err) {
        if (statusCode(err) === 403) return { createdByVerdict: await existsNotOurs(namespace, err) };
        if (!isConflict(err)) throw toFailure(err, `creating namespace ${namespace}`);
      }
      const ours = await refreshIfOurs(input);
      // Being deleted (by the sweeper or a person): retrying creates it again once it is gone.
      if (ours?.metadata?.deletionTimestamp)
        throw ApplicationFailure.retryable(`namespace ${namespace} is being deleted; waiting to create it again`, failureTypes.namespaceTerminating);
      return { createdByVerdict: ours !== undefined };
    },
  };
}
