// The Kubernetes permissions Verdict's activities use, in one list: the permission pre-check asks
// the API server about each, and the worker's ClusterRole (deploy/base/clusterrole.yaml) is held
// to the rules generated from it by a unit test, so the two can never drift apart.
import type { V1PolicyRule, V1ResourceRule } from '@kubernetes/client-node';

export interface Permission {
  verbs: string[];
  group: string;
  resource: string;
  subresource?: string;
  /** Checked in the run's namespace unless cluster-scoped. */
  clusterScoped?: boolean;
  /** Which activities need it, and for what. */
  usedBy: string;
  /** Needed only by runs whose suite has secret-marked env values: the pre-check asks only then. */
  onlyWithSecrets?: boolean;
  /** Needed only by the worker's periodic sweep (verdict gc), never by a run: the pre-check skips it. */
  sweepOnly?: boolean;
}

export const rbacGroup = 'rbac.authorization.k8s.io';

/**
 * Exactly what the activities call. Server-side apply is a `patch` that needs `create` too when the
 * object does not exist yet; the watch cache needs `list` and `watch`.
 */
export const requiredPermissions: Permission[] = [
  { verbs: ['create', 'patch'], group: '', resource: 'namespaces', clusterScoped: true, usedBy: 'ensureNamespace' },
  { verbs: ['get', 'create', 'delete'], group: '', resource: 'serviceaccounts', usedBy: 'ensureRunRbac, cleanupRunResources (get: whose it is, before adopting or deleting)' },
  { verbs: ['get', 'create', 'delete'], group: '', resource: 'configmaps', usedBy: 'ensureInputs, storeReport, cleanupRunResources (get: whose it is, before adopting or deleting)' },
  { verbs: ['create', 'delete'], group: '', resource: 'secrets', usedBy: 'ensureInputs, cleanupRunResources (secret-marked env values; never read back)', onlyWithSecrets: true },
  { verbs: ['get', 'list', 'watch', 'create', 'delete'], group: 'batch', resource: 'jobs', usedBy: 'deployJob, awaitJob, deleteJob' },
  { verbs: ['list', 'watch'], group: '', resource: 'pods', usedBy: 'awaitJob, extractResult, deleteJob (the shared watch)' },
  { verbs: ['get'], group: '', resource: 'pods', subresource: 'log', usedBy: 'extractResult' },
  { verbs: ['list'], group: '', resource: 'events', usedBy: 'awaitJob (why a Job has no pod: its FailedCreate events, read only then)' },
  { verbs: ['get', 'create', 'delete'], group: rbacGroup, resource: 'clusterrolebindings', clusterScoped: true, usedBy: 'ensureRunRbac, cleanupRunResources (get: whose it is, before adopting or deleting)' },
  // The sweep finds a closed run's leftovers by label. Never `list` Secrets: that would read every one.
  { verbs: ['list'], group: '', resource: 'serviceaccounts', usedBy: 'the sweep (verdict gc)', sweepOnly: true },
  { verbs: ['list'], group: '', resource: 'configmaps', usedBy: 'the sweep (verdict gc)', sweepOnly: true },
  { verbs: ['list'], group: rbacGroup, resource: 'clusterrolebindings', clusterScoped: true, usedBy: 'the sweep (verdict gc)', sweepOnly: true },
  { verbs: ['list'], group: '', resource: 'namespaces', clusterScoped: true, usedBy: 'the sweep (verdict gc)', sweepOnly: true },
  { verbs: ['delete'], group: '', resource: 'pods', usedBy: 'the sweep (verdict gc): pods a deleted Job left', sweepOnly: true },
  { verbs: ['create'], group: 'authorization.k8s.io', resource: 'selfsubjectrulesreviews', clusterScoped: true, usedBy: 'checkPermissions (one review of every rule)' },
  { verbs: ['create'], group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews', clusterScoped: true, usedBy: 'checkPermissions (confirms what the rules seem to lack)' },
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

/** The worker's ClusterRole rules: one per resource, then `bind` on the bindable roles. */
export function clusterRoleRules(permissions: Permission[] = requiredPermissions, bindable: string[] = defaultBindableRoles): V1PolicyRule[] {
  const rules = permissions.map((p): V1PolicyRule => ({ apiGroups: [p.group], resources: [p.subresource ? `${p.resource}/${p.subresource}` : p.resource], verbs: [...p.verbs] }));
  if (bindable.length > 0) rules.push({ apiGroups: [rbacGroup], resources: ['clusterroles'], verbs: ['bind'], resourceNames: [...bindable] });
  return rules;
}

export const describePermission = (p: Pick<Permission, 'group' | 'resource' | 'subresource' | 'clusterScoped'>, verb: string, namespace: string, name?: string) =>
  `${verb} ${p.group ? `${p.group}/` : ''}${p.resource}${p.subresource ? `/${p.subresource}` : ''}${p.clusterScoped ? ' (cluster-wide)' : ` in namespace ${namespace}`}${name ? ` ${name}` : ''}`;

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
