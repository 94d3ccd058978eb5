// The production manifests and image, read as files: the ClusterRole is exactly the permission
// list, the Deployment agrees with the worker's settings, and the image runs non-root without
// dev dependencies. (Applying them to a real API server: test/integration/deploy-manifests.test.ts.)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { V1ClusterRole, V1ConfigMap, V1Deployment, V1Service } from '@kubernetes/client-node';
import { clusterRoleRules, requiredPermissions } from '../../src/core/permissions';
import { keyEnv } from '../../src/codec/keys';
import { loadWorkerConfig, settings } from '../../worker/config';

const root = join(__dirname, '..', '..');
const base = join(root, 'deploy', 'base');
const read = <T>(file: string) => parseAllDocuments(readFileSync(join(base, file), 'utf8')).map((d) => d.toJS() as T)[0];

const role = read<V1ClusterRole>('clusterrole.yaml');
const deployment = read<V1Deployment>('deployment.yaml');
const configMap = read<V1ConfigMap>('configmap.yaml');
const service = read<V1Service>('service.yaml');
const pod = deployment.spec!.template.spec!;
const container = pod.containers[0];

test('the kustomization lists every manifest in deploy/base', () => {
  const kustomization = read<{ resources: string[] }>('kustomization.yaml');
  const files = readdirSync(base).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  expect([...kustomization.resources].sort()).toEqual(files.sort());
});

test("the worker's ClusterRole is exactly the permissions the activities use, plus bind on view", () => {
  expect(role.rules).toEqual(clusterRoleRules());
  const bind = role.rules!.find((r) => r.verbs.includes('bind'))!;
  expect(bind).toEqual({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['view'] });
  // Nothing broader than named verbs on named resources.
  for (const r of role.rules!) expect([...r.verbs, ...(r.resources ?? []), ...(r.apiGroups ?? [])]).not.toContain('*');
});

test('every permission says which activities use it, and no verb appears twice', () => {
  for (const p of requiredPermissions) {
    expect(p.usedBy).not.toBe('');
    expect(new Set(p.verbs).size).toBe(p.verbs.length);
  }
});

test("the ConfigMap is a valid worker configuration, and the Deployment's ports, probes and grace agree with it", () => {
  const names = new Set([...Object.values(settings).map((s) => s.env), ...Object.values(keyEnv)]);
  const env = { ...configMap.data, ...Object.fromEntries(container.env!.map((e) => [e.name, 'set'])) };
  for (const name of Object.keys(env)) expect(names).toContain(name);

  const config = loadWorkerConfig({}, configMap.data, { homeConfig: false, inCluster: true });
  expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(config.shutdownGraceSeconds);
  const port = (name: string) => container.ports!.find((p) => p.name === name)!.containerPort;
  expect(port('metrics')).toBe(config.metricsPort);
  expect(port('health')).toBe(config.healthPort);
  expect(container.readinessProbe!.httpGet).toEqual({ path: '/readyz', port: 'health' });
  expect(container.livenessProbe!.httpGet).toEqual({ path: '/healthz', port: 'health' });
  expect(service.spec!.ports).toEqual([{ name: 'metrics', port: config.metricsPort, targetPort: 'metrics' }]);
  expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata!.name } }]);
  expect(pod.serviceAccountName).toBe('verdict-worker');
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
