// The Kubernetes permissions Verdict's activities use, in one list: the permission pre-check asks
// the API server about each, and the chart (deploy/chart/verdict) grants exactly these, held to the
// rules generated here by test/unit/chart.test.ts: the namespaced ones by a Role in each namespace
// runs may use, the rest by one ClusterRole, limited by name where RBAC can say so.
import type { V1PolicyRule, V1ResourceRule } from '@kubernetes/client-node';

export interface Permission {
  verbs: string[];
  group: string;
  resource: string;
  subresource?: string;
  /** Granted in each namespace runs may use, or cluster-wide. */
  scope: 'namespace' | 'cluster';
  /** Granted only on the namespaces runs may use, by name (resourceNames). */
  onRunNamespace?: boolean;
  /** Which activities need it, and for what. */
  usedBy: string;
  /** Needed only by runs whose suite has secret-marked env values: the pre-check asks only then. */
  onlyWithSecrets?: boolean;
  /** Needed only by the worker's periodic sweep (verdict gc), never by a run: the pre-check skips it. */
  sweepOnly?: boolean;
}

export const rbacGroup = 'rbac.authorization.k8s.io';

/**
 * Exactly what the activities call; the watch cache needs `list` and `watch`. Namespaces are the
 * operator's (the chart makes them): the worker only confirms the run's exists. With `create` on
 * namespaces (a development cluster's admin) it makes a missing one; the chart never grants that.
 */
export const requiredPermissions: Permission[] = [
  { verbs: ['get'], group: '', resource: 'namespaces', scope: 'cluster', onRunNamespace: true, usedBy: "ensureNamespace (the run's namespace exists)" },
  { verbs: ['get', 'create', 'delete'], group: '', resource: 'serviceaccounts', scope: 'namespace', usedBy: 'ensureRunRbac, cleanupRunResources (get: whose it is, before adopting or deleting)' },
  { verbs: ['get', 'create', 'delete'], group: '', resource: 'configmaps', scope: 'namespace', usedBy: 'ensureInputs, storeReport, cleanupRunResources (get: whose it is, before adopting or deleting)' },
  { verbs: ['create', 'delete'], group: '', resource: 'secrets', scope: 'namespace', usedBy: 'ensureInputs, cleanupRunResources (secret-marked env values; never read back)', onlyWithSecrets: true },
  { verbs: ['get', 'list', 'watch', 'create', 'delete'], group: 'batch', resource: 'jobs', scope: 'namespace', usedBy: 'deployJob, awaitJob, deleteJob' },
  { verbs: ['list', 'watch'], group: '', resource: 'pods', scope: 'namespace', usedBy: 'awaitJob, extractResult, deleteJob (the shared watch)' },
  { verbs: ['get'], group: '', resource: 'pods', subresource: 'log', scope: 'namespace', usedBy: 'extractResult' },
  { verbs: ['list'], group: '', resource: 'events', scope: 'namespace', usedBy: 'awaitJob (why a Job has no pod: its FailedCreate events, read only then)' },
  { verbs: ['get', 'create', 'delete'], group: rbacGroup, resource: 'clusterrolebindings', scope: 'cluster', usedBy: 'ensureRunRbac, cleanupRunResources (get: whose it is, before adopting or deleting; create cannot be limited by name: the chart\'s admission policy limits it)' },
  { verbs: ['create'], group: 'authorization.k8s.io', resource: 'selfsubjectrulesreviews', scope: 'cluster', usedBy: 'checkPermissions (one review of every rule)' },
  { verbs: ['create'], group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews', scope: 'cluster', usedBy: 'checkPermissions (confirms what the rules seem to lack)' },
  // The sweep finds a closed run's leftovers by label, in each namespace runs may use. Never `list` Secrets: that would read every one.
  { verbs: ['list'], group: '', resource: 'serviceaccounts', scope: 'namespace', usedBy: 'the sweep (verdict gc)', sweepOnly: true },
  { verbs: ['list'], group: '', resource: 'configmaps', scope: 'namespace', usedBy: 'the sweep (verdict gc)', sweepOnly: true },
  { verbs: ['delete'], group: '', resource: 'pods', scope: 'namespace', usedBy: 'the sweep (verdict gc): pods a deleted Job left', sweepOnly: true },
  { verbs: ['list'], group: rbacGroup, resource: 'clusterrolebindings', scope: 'cluster', usedBy: 'the sweep (verdict gc)', sweepOnly: true },
];

/**
 * ClusterRoles the worker may bind validators to as shipped. RBAC lets an identity bind a role only
 * if it holds every permission in it or has `bind` on it; `bind` limited to these names keeps the
 * worker from granting anything else (cluster-admin included). Add names to allow more.
 */
export const defaultBindableRoles = ['view'];

/** The `bind` permission on one ClusterRole, as the pre-check asks about it. */
export const bindPermission = (role: string) => ({ verb: 'bind', group: rbacGroup, resource: 'clusterroles', name: role });

/** What the pre-check asks about for a run: everything but the sweep's, less the Secret rules when the suite has no secret values. */
export const permissionsFor = (run: { hasSecrets?: boolean }) => requiredPermissions.filter((p) => !p.sweepOnly && (!p.onlyWithSecrets || run.hasSecrets === true));

const rule = (p: Permission, resourceNames?: string[]): V1PolicyRule => ({
  apiGroups: [p.group],
  resources: [p.subresource ? `${p.resource}/${p.subresource}` : p.resource],
  verbs: [...p.verbs],
  ...(resourceNames ? { resourceNames: [...resourceNames] } : {}),
});

/** The Role the worker holds in each namespace runs may use: one rule per namespaced permission. */
export const namespaceRules = (permissions: Permission[] = requiredPermissions): V1PolicyRule[] => permissions.filter((p) => p.scope === 'namespace').map((p) => rule(p));

/** The worker's ClusterRole: the cluster-wide permissions (the run namespaces' by name), then `bind` on the bindable roles. */
export function clusterRoleRules(namespaces: string[], bindable: string[] = defaultBindableRoles, permissions: Permission[] = requiredPermissions): V1PolicyRule[] {
  const rules = permissions.filter((p) => p.scope === 'cluster').map((p) => rule(p, p.onRunNamespace ? namespaces : undefined));
  if (bindable.length > 0) rules.push({ apiGroups: [rbacGroup], resources: ['clusterroles'], verbs: ['bind'], resourceNames: [...bindable] });
  return rules;
}

export const describePermission = (p: Pick<Permission, 'group' | 'resource' | 'subresource' | 'scope'>, verb: string, namespace: string, name?: string) =>
  `${verb} ${p.group ? `${p.group}/` : ''}${p.resource}${p.subresource ? `/${p.subresource}` : ''}${p.scope === 'cluster' ? ' (cluster-wide)' : ` in namespace ${namespace}`}${name ? ` ${name}` : ''}`;

/** One permission to check: a verb on a resource (and subresource), optionally one object by name. */
export interface PermissionCheck {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
}

const matches = (values: string[] | undefined, value: string) => (values ?? []).some((v) => v === '*' || v === value);

/**
 * Whether `rules` (a SelfSubjectRulesReview's resourceRules) grant `p`. Only a yes is trusted:
 * rules can be incomplete (webhook authorizers), so whatever they do not show is asked again.
 */
export function grantedByRules(rules: V1ResourceRule[], p: PermissionCheck): boolean {
  const resource = p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
  return rules.some(
    (r) =>
      matches(r.verbs, p.verb) &&
      matches(r.apiGroups, p.group) &&
      (matches(r.resources, resource) || (p.subresource !== undefined && matches(r.resources, `${p.resource}/*`))) &&
      (!r.resourceNames?.length || (p.name !== undefined && r.resourceNames.includes(p.name))),
  );
}
