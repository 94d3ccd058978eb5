// Checks up front that the worker may do everything a run needs, and reports every missing
// permission at once instead of failing half-way through a run. One SelfSubjectRulesReview shows
// most grants in a single request; SelfSubjectAccessReviews, the authority, decide the rest.
import { ApplicationFailure } from '@temporalio/common';
import type { Clients } from '../k8s/client';
import { k8sCall } from '../k8s/errors';
import { failureTypes } from '../core/failures';
import type { V1ResourceRule } from '@kubernetes/client-node';
import { bindPermission, describePermission, grantedByRules, permissionsFor, type PermissionCheck } from '../core/permissions';

type Check = PermissionCheck & { scope: 'namespace' | 'cluster' };

const fix =
  "the chart (deploy/chart/verdict) grants the worker's permissions in the namespaces of its value policy.allowedNamespaces; to bind validators to another ClusterRole, add it to policy.allowedClusterRoles";

export function permissionActivities(c: Clients) {
  /** The rules the worker holds in `namespace`, cluster-wide ones included; none when it may not ask. */
  async function rulesIn(namespace: string): Promise<V1ResourceRule[]> {
    try {
      const review = await c.authz.createSelfSubjectRulesReview({ body: { spec: { namespace } } });
      return review.status?.resourceRules ?? [];
    } catch {
      return []; // every permission is then checked one by one, this one included
    }
  }

  return {
    /** Throws one non-retryable failure listing every missing permission; returns how many were checked, and how many one by one. */
    async checkPermissions(input: { namespace: string; clusterRoles: string[]; hasSecrets?: boolean }): Promise<{ checked: number; accessReviews: number }> {
      const own: Check[] = permissionsFor(input).flatMap((p) => p.verbs.map((verb) => ({ ...p, verb, name: p.onRunNamespace ? input.namespace : undefined })));
      // Binding a ClusterRole needs the `bind` verb on it (or holding all its permissions).
      const binds: Check[] = [...new Set(input.clusterRoles)].map((role) => ({ ...bindPermission(role), scope: 'cluster' as const }));
      const all = [...own, ...binds];
      const rules = await rulesIn(input.namespace);
      const unsure = all.filter((p) => !grantedByRules(rules, p));
      const allowed = await Promise.all(
        unsure.map((p) =>
          k8sCall('checking permissions', () =>
            c.authz.createSelfSubjectAccessReview({
              body: { spec: { resourceAttributes: { verb: p.verb, group: p.group, resource: p.resource, subresource: p.subresource, name: p.name, namespace: p.scope === 'cluster' ? undefined : input.namespace } } },
            }),
          ).then((r) => r.status?.allowed === true),
        ),
      );
      const missing = unsure.filter((_, i) => !allowed[i]).map((p) => describePermission(p, p.verb, input.namespace, p.name));
      if (missing.length > 0) {
        throw ApplicationFailure.nonRetryable(`the worker's Kubernetes identity lacks ${missing.length} permission(s) a run needs:\n  ${missing.join('\n  ')}\n${fix}`, failureTypes.forbidden, missing);
      }
      return { checked: all.length, accessReviews: unsure.length };
    },
  };
}
