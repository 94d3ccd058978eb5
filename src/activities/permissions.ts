// Checks up front, with SelfSubjectAccessReviews, that the worker may do everything a run needs,
// and reports every missing permission at once instead of failing half-way through a run.
import { ApplicationFailure } from '@temporalio/common';
import type { Clients } from '../k8s/client';
import { k8sCall, nonRetryableTypes } from '../k8s/errors';
import { bindPermission, describePermission, permissionsFor } from '../core/permissions';

interface Check {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  clusterScoped?: boolean;
  name?: string;
}

const fix = "deploy/base/clusterrole.yaml grants the worker's own permissions; to bind validators to another ClusterRole, add its name to the resourceNames of that ClusterRole's `bind` rule";

export function permissionActivities(c: Clients) {
  return {
    /** Throws one non-retryable failure listing every missing permission; returns how many were checked. */
    async checkPermissions(input: { namespace: string; clusterRoles: string[]; hasSecrets?: boolean }): Promise<{ checked: number }> {
      const own: Check[] = permissionsFor(input).flatMap((p) => p.verbs.map((verb) => ({ ...p, verb })));
      // Binding a ClusterRole needs the `bind` verb on it (or holding all its permissions).
      const binds: Check[] = [...new Set(input.clusterRoles)].map((role) => ({ ...bindPermission(role), clusterScoped: true }));
      const all = [...own, ...binds];
      const allowed = await Promise.all(
        all.map((p) =>
          k8sCall('checking permissions', () =>
            c.authz.createSelfSubjectAccessReview({
              body: { spec: { resourceAttributes: { verb: p.verb, group: p.group, resource: p.resource, subresource: p.subresource, name: p.name, namespace: p.clusterScoped ? undefined : input.namespace } } },
            }),
          ).then((r) => r.status?.allowed === true),
        ),
      );
      const missing = all.filter((_, i) => !allowed[i]).map((p) => describePermission(p, p.verb, input.namespace, p.name));
      if (missing.length > 0) {
        throw ApplicationFailure.nonRetryable(`the worker's Kubernetes identity lacks ${missing.length} permission(s) a run needs:\n  ${missing.join('\n  ')}\n${fix}`, nonRetryableTypes.forbidden, missing);
      }
      return { checked: all.length };
    },
  };
}
