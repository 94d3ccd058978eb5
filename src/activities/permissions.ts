// Checks up front, with SelfSubjectAccessReviews, that the worker may do everything a run needs,
// and reports every missing permission at once instead of failing half-way through a run.
import { ApplicationFailure } from '@temporalio/common';
import type { Clients } from '../k8s/client';
import { k8sCall, nonRetryableTypes } from '../k8s/errors';

export interface Permission {
  verbs: string[];
  group: string;
  resource: string;
  subresource?: string;
  /** Checked in the run's namespace unless cluster-scoped. */
  clusterScoped?: boolean;
}

/** Everything Verdict's activities do. Keep in step with the activities (and the worker's ClusterRole). */
export const requiredPermissions: Permission[] = [
  { verbs: ['get', 'create', 'patch'], group: '', resource: 'namespaces', clusterScoped: true },
  { verbs: ['get', 'create', 'patch', 'delete'], group: '', resource: 'serviceaccounts' },
  { verbs: ['get', 'create', 'patch', 'delete'], group: '', resource: 'configmaps' },
  { verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'], group: 'batch', resource: 'jobs' },
  { verbs: ['get', 'list', 'watch'], group: '', resource: 'pods' },
  { verbs: ['get'], group: '', resource: 'pods', subresource: 'log' },
  { verbs: ['get', 'create', 'patch', 'delete'], group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', clusterScoped: true },
];

const describePermission = (p: Permission, verb: string, namespace: string) =>
  `${verb} ${p.group ? `${p.group}/` : ''}${p.resource}${p.subresource ? `/${p.subresource}` : ''}${p.clusterScoped ? ' (cluster-wide)' : ` in namespace ${namespace}`}`;

export function permissionActivities(c: Clients) {
  return {
    /** Throws one non-retryable failure listing every missing permission; returns how many were checked. */
    async checkPermissions(input: { namespace: string; clusterRoles: string[] }): Promise<{ checked: number }> {
      const checks = requiredPermissions.flatMap((p) => p.verbs.map((verb) => ({ p, verb })));
      // Binding a ClusterRole needs the `bind` verb on it (or holding all its permissions).
      const bind: Permission = { verbs: ['bind'], group: 'rbac.authorization.k8s.io', resource: 'clusterroles', clusterScoped: true };
      const all: { p: Permission; verb: string; name?: string }[] = [...checks, ...input.clusterRoles.map((name) => ({ p: bind, verb: 'bind', name }))];
      const allowed = await Promise.all(
        all.map(({ p, verb, name }) =>
          k8sCall('checking permissions', () =>
            c.authz.createSelfSubjectAccessReview({
              body: { spec: { resourceAttributes: { verb, group: p.group, resource: p.resource, subresource: p.subresource, name, namespace: p.clusterScoped ? undefined : input.namespace } } },
            }),
          ).then((r) => r.status?.allowed === true),
        ),
      );
      const missing = all.filter((_, i) => !allowed[i]).map(({ p, verb, name }) => `${describePermission(p, verb, input.namespace)}${name ? ` ${name}` : ''}`);
      if (missing.length > 0) {
        throw ApplicationFailure.nonRetryable(`the worker's Kubernetes identity lacks ${missing.length} permission(s) a run needs:\n  ${missing.join('\n  ')}`, nonRetryableTypes.forbidden, missing);
      }
      return { checked: all.length };
    },
  };
}
