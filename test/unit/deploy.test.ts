// The chart and the image, rendered and read as files: the worker's Roles and ClusterRole are
// exactly the permission list, its policy values are the worker's own settings, the admission
// policies follow the values, and the image runs non-root without dev dependencies. (Applying the
// chart to a real API server: test/integration/deploy-manifests.test.ts, stolen-token.test.ts.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubernetesObject, V1ClusterRole, V1ConfigMap, V1Deployment, V1Role, V1RoleBinding, V1Service, V1ValidatingAdmissionPolicy } from '@kubernetes/client-node';
import { clusterRoleRules, namespaceRules, requiredPermissions } from '../../src/core/permissions';
import { defaultPolicy, policySettings } from '../../src/core/policy';
import { keyEnv } from '../../src/codec/keys';
import { loadWorkerConfig, settings } from '../../worker/config';
import { chartDir, helm, renderChart, template } from '../harness/chart';

const root = join(__dirname, '..', '..');
const chartValues = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as { policy: Record<string, unknown> };
const objects = renderChart();
const find = <T extends KubernetesObject>(kind: string, name?: string) => objects.filter((o): o is T => o.kind === kind && (name === undefined || o.metadata?.name === name));
const deployment = find<V1Deployment>('Deployment')[0];
const configMap = find<V1ConfigMap>('ConfigMap')[0];
const pod = deployment.spec!.template.spec!;
const container = pod.containers[0];
const workerConfig = (cm: V1ConfigMap) => loadWorkerConfig({}, cm.data, { homeConfig: false, inCluster: true });

test('helm lints the chart', () => {
  const r = helm(['lint', '--strict', chartDir]);
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
});

test('the Role in each allowed namespace is exactly the namespaced permissions, bound to the worker alone', () => {
  const namespaces = ['verdict', 'gpu-checks'];
  const rendered = renderChart({ values: { policy: { allowedNamespaces: namespaces } } });
  const roles = rendered.filter((o): o is V1Role => o.kind === 'Role');
  expect(roles.map((r) => r.metadata!.namespace)).toEqual(namespaces);
  for (const role of roles) expect(role.rules).toEqual(namespaceRules());
  for (const b of rendered.filter((o): o is V1RoleBinding => o.kind === 'RoleBinding')) expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'verdict-worker', namespace: 'verdict-system' }]);
  // Secrets: create and delete, never read (no get, list, watch or patch: a server-side apply returns the data).
  expect(namespaceRules().filter((r) => r.resources!.includes('secrets')).flatMap((r) => r.verbs)).toEqual(['create', 'delete']);
  // The namespaces runs may use, made with the release unless they exist already.
  expect(rendered.filter((o) => o.kind === 'Namespace').map((n) => n.metadata!.name)).toEqual(namespaces);
});

test("the ClusterRole holds only what cannot be namespaced, limited by name where RBAC can", () => {
  const rendered = renderChart({ values: { policy: { allowedNamespaces: ['verdict', 'gpu-checks'], allowedClusterRoles: ['view', 'gpu-reader'] } } });
  const role = rendered.find((o): o is V1ClusterRole => o.kind === 'ClusterRole')!;
  expect(role.rules).toEqual(clusterRoleRules(['verdict', 'gpu-checks'], ['view', 'gpu-reader']));
  expect(role.rules).toContainEqual({ apiGroups: [''], resources: ['namespaces'], verbs: ['get'], resourceNames: ['verdict', 'gpu-checks'] });
  expect(role.rules).toContainEqual({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['view', 'gpu-reader'] });
  for (const r of role.rules!) expect([...r.verbs, ...(r.resources ?? []), ...(r.apiGroups ?? [])]).not.toContain('*');
  // Only the permissions RBAC cannot put in a namespace are cluster-wide.
  expect(requiredPermissions.filter((p) => p.scope === 'cluster').map((p) => p.resource)).toEqual(['namespaces', 'clusterrolebindings', 'selfsubjectrulesreviews', 'selfsubjectaccessreviews', 'clusterrolebindings']);
});

test.each([
  [{ allowedNamespaces: ['vt-*'] }, "'/policy/allowedNamespaces/0': 'vt-*' does not match pattern"],
  [{ allowedNamespaces: [] }, '/policy/allowedNamespaces'],
  [{ allowedClusterRoles: ['*'] }, "'/policy/allowedClusterRoles/0': '*' does not match pattern"],
  [{ allowPrivilegd: true }, "additional properties 'allowPrivilegd' not allowed"],
])('values RBAC cannot express are refused at render, naming the value: %j', (policy, message) => {
  const r = template({ values: { policy } });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain(message);
});

test("the chart's policy values are the worker's default policy, and the ConfigMap carries whatever they are", () => {
  const { createNamespaces, ...rules } = chartValues.policy;
  expect(createNamespaces).toBe(true);
  expect({ preset: 'default', ...rules }).toEqual(defaultPolicy);
  expect(Object.keys(rules).sort()).toEqual(Object.keys(policySettings).sort());
  expect(workerConfig(configMap).policy).toEqual(defaultPolicy);

  const custom = { allowedNamespaces: ['gpu-checks'], allowPrivileged: true, allowedClusterRoles: ['view', 'gpu-reader'], allowedSecrets: ['registry-*'], maxValidators: 300, maxTimeout: '6h', maxCpu: '8', maxMemory: '32Gi' };
  const cm = renderChart({ values: { policy: custom } }).find((o): o is V1ConfigMap => o.kind === 'ConfigMap')!;
  expect(workerConfig(cm).policy).toEqual({ ...defaultPolicy, ...custom });
});

test('the admission policies name the worker alone and follow the policy values', () => {
  const policies = (values: object) => renderChart({ release: 'ops', namespace: 'ops-system', values }).filter((o): o is V1ValidatingAdmissionPolicy => o.kind === 'ValidatingAdmissionPolicy');
  const shipped = policies({});
  expect(shipped.map((p) => p.metadata!.name)).toEqual(['ops-worker-owns-its-objects', 'ops-worker-jobs', 'ops-worker-bindings']);
  for (const p of shipped) {
    expect(p.spec!.matchConditions).toEqual([{ name: 'the-verdict-worker', expression: 'request.userInfo.username == "system:serviceaccount:ops-system:ops-worker"' }]);
    expect(p.spec!.failurePolicy).toBe('Fail');
  }
  const bindings = renderChart({ release: 'ops', namespace: 'ops-system' }).filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding') as (KubernetesObject & { spec: { policyName: string; validationActions: string[] } })[];
  expect(bindings.map((b) => [b.spec.policyName, b.spec.validationActions])).toEqual(shipped.map((p) => [p.metadata!.name, ['Deny']]));

  const jobRules = (values: object) => policies(values)[1].spec!.validations!.map((v) => v.message);
  expect(jobRules({})).toContain('privileged validators are not allowed on this cluster (chart value policy.allowPrivileged)');
  expect(jobRules({ policy: { allowPrivileged: true } })).not.toContain('privileged validators are not allowed on this cluster (chart value policy.allowPrivileged)');
  expect(JSON.stringify(policies({ policy: { allowedClusterRoles: ['view', 'gpu-reader'] } })[2].spec!.validations)).toContain('object.roleRef.name in [\\"view\\",\\"gpu-reader\\"]');
  expect(policies({ admissionPolicies: false })).toEqual([]);
});

test("the ConfigMap is a valid worker configuration, and the Deployment's ports, probes and grace agree with it", () => {
  const names = new Set([...Object.values(settings).map((s) => s.env), ...Object.values(keyEnv)]);
  const env = { ...configMap.data, ...Object.fromEntries(container.env!.map((e) => [e.name, 'set'])) };
  for (const name of Object.keys(env)) expect(names).toContain(name);

  const config = workerConfig(configMap);
  expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(config.shutdownGraceSeconds);
  const port = (name: string) => container.ports!.find((p) => p.name === name)!.containerPort;
  expect(port('metrics')).toBe(config.metricsPort);
  expect(port('health')).toBe(config.healthPort);
  expect(container.readinessProbe!.httpGet).toEqual({ path: '/readyz', port: 'health' });
  expect(container.livenessProbe!.httpGet).toEqual({ path: '/healthz', port: 'health' });
  expect(find<V1Service>('Service')[0].spec!.ports).toEqual([{ name: 'metrics', port: config.metricsPort, targetPort: 'metrics' }]);
  expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata!.name } }]);
  expect(pod.serviceAccountName).toBe('verdict-worker');
  expect(container.image).toBe('ghcr.io/verdict-dev/verdict:0.1.0');
});

test('the worker pod meets the restricted Pod Security Standard', () => {
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  expect(pod.securityContext!.runAsUser).toBeGreaterThan(0);
  expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages[stages.length - 1];

  test('multi-stage: builds with dev dependencies, ships only production ones', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(final).not.toMatch(/^RUN /m);
    expect(final).toMatch(/COPY --from=deps \/app\/node_modules node_modules/);
    const deps = stages.find((s) => s.includes(' AS deps'))!;
    expect(deps).toMatch(/npm ci --omit=dev/);
  });

  test('runs as a numeric non-root user, the worker by default', () => {
    const user = /^USER (\d+):(\d+)$/m.exec(final);
    expect(user && Number(user[1])).toBeGreaterThan(0);
    expect(Number(user![1])).toBe(pod.securityContext!.runAsUser);
    expect(final).toMatch(/^ENTRYPOINT \["node", "\/app\/bin\/verdict"\]$/m);
    expect(final).toMatch(/^CMD \["worker"\]$/m);
    expect(container.args).toEqual(['worker']);
  });
});
