// The operator's policy checker: every rule, every violation named by field path with its fix,
// the default refusing what a security review would, and properties over random suites.
import fc from 'fast-check';
import { checkPolicy, defaultPolicy, describeViolations, matchesPattern, policySubject, presetPolicy, reservedKeyProblem, sandboxPolicy, type Policy } from '../../src/core/policy';
import { suiteSchema, type SuiteInput, type ValidatorInput } from '../../src/core/spec';

const v = (name: string, extra: Partial<ValidatorInput> = {}): ValidatorInput => ({ name, phase: 'deployment', image: 'example.com/check:1', ...extra });
const suite = (validators: ValidatorInput[], extra: Partial<SuiteInput> = {}) => suiteSchema.parse({ name: 's', validators, ...extra });
const paths = (s: ReturnType<typeof suite>, p: Policy = defaultPolicy) => checkPolicy(s, p).map((x) => x.path);
const policy = (rules: Partial<Policy>): Policy => ({ ...defaultPolicy, ...rules });

test('the default policy: namespace verdict only, no privilege, view only, no Secrets, ConfigMaps or pull secrets, off the control plane', () => {
  expect(defaultPolicy).toEqual({
    preset: 'default',
    allowedNamespaces: ['verdict'],
    allowPrivileged: false,
    allowedClusterRoles: ['view'],
    allowedSecrets: [],
    allowedConfigMaps: [],
    allowedImagePullSecrets: [],
    allowedRuntimeClasses: [],
    allowControlPlane: false,
    maxValidators: 100,
    maxTimeout: '1h',
    maxCpu: '2',
    maxMemory: '4Gi',
  });
  expect(checkPolicy(suite([v('plain', { resources: { requests: { cpu: '100m', memory: '64Mi' } } })]), defaultPolicy)).toEqual([]);
});

test('a hostile suite: every violation, each with its field path and the setting that would allow it', () => {
  const hostile = suite(
    [
      v('root', { privileged: true, clusterRole: 'cluster-admin' }),
      v('thief', { env: [{ name: 'A', value: 'ok' }, { name: 'T', secretKeyRef: { name: 'etcd-certs', key: 'key' } }, { name: 'C', configMapKeyRef: { name: 'kubeadm-config', key: 'c' } }], imagePullSecrets: ['registry-admin'] }),
      v('cp', { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists' }], nodeSelector: { 'node-role.kubernetes.io/master': '' } }),
    ],
    { namespace: 'kube-system', allowClusterAdmin: true },
  );
  const violations = checkPolicy(hostile, defaultPolicy);
  expect(violations.map((x) => x.path)).toEqual([
    'suite.namespace',
    'suite.validators.0.privileged',
    'suite.validators.0.clusterRole',
    'suite.validators.1.env.1.secretKeyRef.name',
    'suite.validators.1.env.2.configMapKeyRef.name',
    'suite.validators.1.imagePullSecrets.0',
    'suite.validators.2.tolerations.0',
    'suite.validators.2.tolerations.1',
    'suite.validators.2.nodeSelector.node-role.kubernetes.io/master',
  ]);
  const text = describeViolations(violations);
  expect(text).toContain('suite.namespace: namespace "kube-system" is not allowed by this worker\'s policy (allowed: verdict)');
  expect(text).toContain("suite.validators.0.privileged: privileged validators are not allowed by this worker's policy (--allow-privileged)");
  expect(text).toContain("suite.validators.0.clusterRole: binding ClusterRole \"cluster-admin\" is not allowed by this worker's policy (allowed: view) (--allowed-cluster-roles); the suite's allowClusterAdmin alone no longer suffices");
  expect(text).toContain('Secret "etcd-certs" is not one validators may read');
  expect(text).toContain('(--allowed-secrets)');
  expect(text).toContain('(--allowed-config-maps)');
  expect(text).toContain('(--allowed-image-pull-secrets)');
  expect(text).toContain('tolerates every taint');
  expect(violations.filter((x) => x.path.includes('tolerations') || x.path.includes('nodeSelector')).every((x) => x.message.includes('--allow-control-plane'))).toBe(true);
});

test('namespaces and names: exact, or with "*" wildcards', () => {
  expect(paths(suite([v('a')], { namespace: 'verdict' }))).toEqual([]);
  expect(paths(suite([v('a')], { namespace: 'verdict-demo' }))).toEqual(['suite.namespace']);
  expect(paths(suite([v('a')], { namespace: 'verdict-demo' }), policy({ allowedNamespaces: ['verdict-*'] }))).toEqual([]);
  expect(paths(suite([v('a')], { namespace: 'vt-0a1b2c3d' }), sandboxPolicy)).toEqual([]);
  expect(paths(suite([v('a')], { namespace: 'kube-system' }), sandboxPolicy)).toEqual(['suite.namespace']);
  expect(paths(suite([v('a')], { namespace: 'default' }), sandboxPolicy)).toEqual(['suite.namespace']);
  expect(matchesPattern('a*b*c', 'abc')).toBe(true);
  expect(matchesPattern('a*b*c', 'axxbyyc')).toBe(true);
  expect(matchesPattern('a*b*c', 'acb')).toBe(false);
  expect(matchesPattern('ab*ba', 'aba')).toBe(false);
  expect(matchesPattern('*', '')).toBe(true);
  expect(matchesPattern('db-*', 'db-')).toBe(true);
  expect(matchesPattern('db-*', 'prod-db-1')).toBe(false);
});

test('cluster-admin only when named: a wildcard never grants it, and the suite opt-in alone does not', () => {
  const admin = suite([v('root', { clusterRole: 'cluster-admin' })], { allowClusterAdmin: true });
  expect(paths(admin, policy({ allowedClusterRoles: ['*'] }))).toEqual(['suite.validators.0.clusterRole']);
  expect(paths(admin, sandboxPolicy)).toEqual(['suite.validators.0.clusterRole']);
  expect(paths(admin, policy({ allowedClusterRoles: ['view', 'cluster-admin'] }))).toEqual([]);
  expect(paths(suite([v('e', { clusterRole: 'edit' })]), policy({ allowedClusterRoles: ['*'] }))).toEqual([]);
  expect(paths(suite([v('e', { clusterRole: 'edit' })]))).toEqual(['suite.validators.0.clusterRole']);
});

test('Secrets, ConfigMaps, pull secrets and RuntimeClasses only from their lists; secret-marked values need none', () => {
  const refs = suite([
    v('a', { env: [{ name: 'T', secretKeyRef: { name: 'db-token', key: 't' } }, { name: 'C', configMapKeyRef: { name: 'settings', key: 'c' } }, { name: 'S', value: 'x', secret: true }], imagePullSecrets: ['pull'], runtimeClassName: 'gvisor' }),
  ]);
  expect(paths(refs)).toEqual(['suite.validators.0.env.0.secretKeyRef.name', 'suite.validators.0.env.1.configMapKeyRef.name', 'suite.validators.0.imagePullSecrets.0', 'suite.validators.0.runtimeClassName']);
  expect(paths(refs, policy({ allowedSecrets: ['db-*'], allowedConfigMaps: ['settings'], allowedImagePullSecrets: ['pull'], allowedRuntimeClasses: ['gvisor'] }))).toEqual([]);
});

test('control-plane placement: its taints, an Exists with no key, its node labels in nodeSelector or affinity; other taints are fine', () => {
  const cp = (extra: Partial<ValidatorInput>) => paths(suite([v('a', extra)]));
  expect(cp({ tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] })).toEqual([]);
  expect(cp({ tolerations: [{ key: 'node-role.kubernetes.io/master', operator: 'Equal', value: 'true' }] })).toEqual(['suite.validators.0.tolerations.0']);
  expect(cp({ tolerations: [{ operator: 'Exists', effect: 'NoExecute' }] })).toEqual(['suite.validators.0.tolerations.0']);
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] }] } } };
  expect(cp({ affinity })).toEqual(['suite.validators.0.affinity']);
  expect(paths(suite([v('a', { affinity, tolerations: [{ operator: 'Exists' }] })]), policy({ allowControlPlane: true }))).toEqual([]);
});

test('pod affinity may not look into other namespaces', () => {
  const term = (extra: object) => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } }, ...extra }] } });
  expect(paths(suite([v('a', { affinity: term({}) })]))).toEqual([]);
  expect(paths(suite([v('a', { affinity: term({ namespaces: ['kube-system'] }) })]))).toEqual(['suite.validators.0.affinity.podAffinity']);
  expect(paths(suite([v('a', { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'h', namespaceSelector: {} } }] } } })]), sandboxPolicy)).toEqual(['suite.validators.0.affinity.podAntiAffinity']);
});

test("Verdict's own and Kubernetes' reserved pod label and annotation keys are refused under every policy", () => {
  expect(reservedKeyProblem('verdict.dev/run')).toBe('is set by Verdict itself');
  expect(reservedKeyProblem('app.kubernetes.io/managed-by')).toBe('is set by Verdict itself');
  expect(reservedKeyProblem('container.apparmor.security.beta.kubernetes.io/validator')).toMatch(/reserved for Kubernetes/);
  expect(reservedKeyProblem('kubernetes.io/egress-bandwidth')).toMatch(/reserved for Kubernetes/);
  expect(reservedKeyProblem('node.k8s.io/x')).toMatch(/reserved for Kubernetes/);
  expect(reservedKeyProblem('app.kubernetes.io/name')).toBeUndefined();
  expect(reservedKeyProblem('sandbox.verdict.dev/exit-code')).toBeUndefined();
  expect(reservedKeyProblem('verdict.dev/bench-run')).toBeUndefined();
  expect(reservedKeyProblem('team')).toBeUndefined();
  const s = suite([v('a', { podLabels: { 'verdict.dev/validator': 'other', team: 'x' }, podAnnotations: { 'container.apparmor.security.beta.kubernetes.io/validator': 'unconfined', 'sandbox.verdict.dev/stdout': 'hi' } })]);
  expect(paths(s, sandboxPolicy)).toEqual(['suite.validators.0.podLabels.verdict.dev/validator', 'suite.validators.0.podAnnotations.container.apparmor.security.beta.kubernetes.io/validator']);
});

test('limits: validators per run, timeout, cpu and memory requests and limits compared as quantities', () => {
  const many = suite(Array.from({ length: 101 }, (_, i) => v(`v${i}`)));
  expect(paths(many)).toEqual(['suite.validators']);
  expect(checkPolicy(many, defaultPolicy)[0].message).toMatch(/101 validators; this worker's policy allows at most 100 per run \(--max-validators\)/);
  expect(paths(many, policy({ maxValidators: 101 }))).toEqual([]);
  expect(paths(suite([v('a', { timeout: '1h' })]))).toEqual([]);
  expect(paths(suite([v('a', { timeout: '1h0m1s' })]))).toEqual(['suite.validators.0.timeout']);
  const big = suite([v('a', { resources: { requests: { cpu: '2000m', memory: '4Gi' }, limits: { cpu: 2.5, memory: '4.3G', 'nvidia.com/gpu': 8 } } })]);
  expect(paths(big)).toEqual(['suite.validators.0.resources.limits.cpu', 'suite.validators.0.resources.limits.memory']);
  expect(checkPolicy(big, defaultPolicy)[1].message).toBe("4.3G is more memory than this worker's policy allows a validator (4Gi) (--max-memory)");
  expect(paths(big, policy({ maxCpu: '3', maxMemory: '4.3G' }))).toEqual([]);
});

test('the policy subject keeps what the checker reads and drops input files and plain values', () => {
  const s = suite([v('a', { env: [{ name: 'P', value: 'hunter2', secret: true }, { name: 'R', secretKeyRef: { name: 'db', key: 'k' } }] })], { inputs: { 'big.txt': 'x'.repeat(1000) } });
  const subject = policySubject(s);
  expect(JSON.stringify(subject)).not.toContain('hunter2');
  expect(JSON.stringify(subject)).not.toContain('big.txt');
  expect(checkPolicy(subject, defaultPolicy)).toEqual(checkPolicy(s, defaultPolicy));
});

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);

test('property: a suite within the policy has no violation, and each refused field adds exactly its own', () => {
  const validator = fc.record({
    privileged: fc.boolean(),
    role: fc.constantFrom('view', 'edit', 'cluster-admin'),
    secret: fc.option(name, { nil: undefined }),
    cpu: fc.integer({ min: 1, max: 4000 }),
    timeoutMinutes: fc.integer({ min: 1, max: 120 }),
  });
  fc.assert(
    fc.property(fc.array(validator, { minLength: 1, maxLength: 8 }), fc.constantFrom('verdict', 'kube-system', 'vt-12345678'), (specs, namespace) => {
      const s = suite(
        specs.map((x, i) =>
          v(`v${i}`, {
            privileged: x.privileged,
            clusterRole: x.role,
            env: x.secret ? [{ name: 'T', secretKeyRef: { name: x.secret, key: 'k' } }] : [],
            timeout: `${x.timeoutMinutes}m`,
            resources: { limits: { cpu: `${x.cpu}m` } },
          }),
        ),
        { namespace, allowClusterAdmin: true },
      );
      const expected = [
        ...(namespace === 'verdict' ? [] : ['suite.namespace']),
        ...specs.flatMap((x, i) => [
          ...(x.privileged ? [`suite.validators.${i}.privileged`] : []),
          ...(x.role === 'view' ? [] : [`suite.validators.${i}.clusterRole`]),
          ...(x.secret ? [`suite.validators.${i}.env.0.secretKeyRef.name`] : []),
          ...(x.timeoutMinutes > 60 ? [`suite.validators.${i}.timeout`] : []),
          ...(x.cpu > 2000 ? [`suite.validators.${i}.resources.limits.cpu`] : []),
        ]),
      ];
      expect(paths(s)).toEqual(expected);
      const permissive = policy({ allowedNamespaces: ['*'], allowPrivileged: true, allowedClusterRoles: ['*', 'cluster-admin'], allowedSecrets: ['*'], maxTimeout: '2h', maxCpu: '4' });
      expect(checkPolicy(s, permissive)).toEqual([]);
    }),
  );
});

test('property: "*" patterns match exactly the names the equivalent regular expression matches', () => {
  const piece = fc.stringMatching(/^[ab]{0,3}$/);
  fc.assert(
    fc.property(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.stringMatching(/^[ab]{0,8}$/), (parts, candidate) => {
      const pattern = parts.join('*');
      const regex = new RegExp(`^${parts.join('.*')}$`);
      expect(matchesPattern(pattern, candidate)).toBe(regex.test(candidate));
    }),
  );
});

test('presets: the sandbox allows more, but every preset is finite and keeps cluster-admin and foreign namespaces out', () => {
  expect(presetPolicy('sandbox')).toEqual(sandboxPolicy);
  expect(sandboxPolicy.allowedNamespaces).toEqual(['verdict', 'verdict-*', 'vt-*']);
  for (const p of [defaultPolicy, sandboxPolicy]) {
    expect(p.allowedClusterRoles).not.toContain('cluster-admin');
    expect(p.allowedNamespaces).not.toContain('*');
  }
});
