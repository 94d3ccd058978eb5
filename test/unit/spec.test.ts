import { quantityValue } from '../../src/core/k8s-validation';
import { describeIssues, maxSuiteBytes, suiteSchema, validatorSchema } from '../../src/core/spec';

const validator = { name: 'gpu-check', phase: 'deployment', image: 'example.com/gpu-check:1' };

test('fills defaults: 5m timeout, view ClusterRole, unprivileged', () => {
  const v = validatorSchema.parse(validator);
  expect(v).toMatchObject({ timeout: '5m', clusterRole: 'view', privileged: false, env: [] });
});

test('names every bad field with its path', () => {
  const result = suiteSchema.safeParse({
    name: 'Nightly',
    validators: [
      { ...validator, timeout: '5 minutes' },
      { ...validator, phase: 'smoke', imagee: 'typo' },
    ],
  });
  expect(result.success).toBe(false);
  const text = describeIssues(result.error!);
  expect(text).toContain('name: must be a DNS label');
  expect(text).toContain('validators.0.timeout: must be a duration');
  expect(text).toContain('validators.1.phase');
  expect(text).toMatch(/validators\.1.*imagee/);
});

test('validator names are unique within a suite', () => {
  const result = suiteSchema.safeParse({ name: 's', validators: [validator, validator] });
  expect(describeIssues(result.error!)).toContain('validators.1.name: "gpu-check" is used by another validator');
});

test('cluster-admin needs an explicit opt-in', () => {
  const v = { ...validator, clusterRole: 'cluster-admin' };
  expect(suiteSchema.safeParse({ name: 's', validators: [v] }).success).toBe(false);
  expect(suiteSchema.safeParse({ name: 's', validators: [v], allowClusterAdmin: true }).success).toBe(true);
});

test('input files over 1 MiB together are refused, before anything is created', () => {
  const half = 'x'.repeat(512 * 1024);
  expect(suiteSchema.safeParse({ name: 's', validators: [validator], inputs: { 'a.yaml': half.slice(100) } }).success).toBe(true);
  const result = suiteSchema.safeParse({ name: 's', validators: [validator], inputs: { 'a.yaml': half, 'b.yaml': half } });
  expect(describeIssues(result.error!)).toMatch(/^inputs: input files take 1048588 bytes; .* at most 1048576 bytes \(1 MiB\)/);
});

test('secrets are referenced, never inlined', () => {
  const v = validatorSchema.parse({ ...validator, env: [{ name: 'TOKEN', secretKeyRef: { name: 'creds', key: 'token' } }] });
  expect(JSON.stringify(v)).not.toMatch(/"value"/);
});

/** The problems of a suite with this one validator, as `verdict validate` prints them. */
const problems = (over: object, suite: object = {}) => {
  const r = suiteSchema.safeParse({ name: 's', validators: [{ ...validator, ...over }], ...suite });
  return r.success ? '' : describeIssues(r.error);
};

// Each rule: a value Kubernetes accepts, one it refuses, and the message naming the field and the fix.
test.each([
  ['env name', { env: [{ name: 'MY.VAR-1 x', value: '1' }] }, { env: [{ name: 'A=B', value: '1' }] }, 'validators.0.env.0.name: an environment variable name must consist of printable ASCII characters other than "="'],
  ['env name, non-ASCII', { env: [{ name: 'PATH', value: '1' }] }, { env: [{ name: 'CAFÉ', value: '1' }] }, 'validators.0.env.0.name: an environment variable name must consist of printable ASCII'],
  ['secretKeyRef name', { env: [{ name: 'T', secretKeyRef: { name: 'db.creds', key: 'token' } }] }, { env: [{ name: 'T', secretKeyRef: { name: 'DB_creds', key: 'token' } }] }, 'validators.0.env.0.secretKeyRef.name: the name of a Secret or ConfigMap must be a DNS subdomain'],
  ['configMapKeyRef key', { env: [{ name: 'T', configMapKeyRef: { name: 'cfg', key: 'app.yaml' } }] }, { env: [{ name: 'T', configMapKeyRef: { name: 'cfg', key: 'app/yaml' } }] }, 'validators.0.env.0.configMapKeyRef.key: a Secret or ConfigMap key must consist of letters'],
  ['podLabels key', { podLabels: { 'example.com/team': 'gpu' } }, { podLabels: { 'Example.com/team': 'gpu' } }, 'validators.0.podLabels.Example.com/team: label key the prefix before "/" must be a DNS subdomain'],
  ['podLabels value', { podLabels: { team: 'gpu_a.1' } }, { podLabels: { team: 'gpu team' } }, 'validators.0.podLabels.team: a label value must be empty or letters'],
  ['podLabels long value', { podLabels: { team: 'x'.repeat(63) } }, { podLabels: { team: 'x'.repeat(64) } }, 'validators.0.podLabels.team: a label value must be at most 63 characters'],
  ['nodeSelector key', { nodeSelector: { 'nvidia.com/gpu.present': 'true' } }, { nodeSelector: { 'a/b/c': 'true' } }, 'validators.0.nodeSelector.a/b/c: label key must be a name with at most one "/"'],
  ['nodeSelector value', { nodeSelector: { zone: '' } }, { nodeSelector: { zone: '-eu' } }, 'validators.0.nodeSelector.zone: a label value'],
  ['podAnnotations key', { podAnnotations: { 'sandbox.verdict.dev/stdout': 'x' } }, { podAnnotations: { 'bad key': 'x' } }, 'validators.0.podAnnotations.bad key: annotation key the name (after any "/") must consist of'],
  ['podAnnotations size', { podAnnotations: { a: 'x'.repeat(200 * 1024) } }, { podAnnotations: { a: 'x'.repeat(256 * 1024) } }, 'validators.0.podAnnotations: annotations take 262145 bytes; Kubernetes allows 256 KiB'],
  ['quantity exponent', { resources: { requests: { cpu: '1e3', memory: '1.5Gi' } } }, { resources: { requests: { memory: '1.5GB' } } }, 'validators.0.resources.requests.memory: "1.5GB" must be a Kubernetes quantity'],
  ['quantity decimal SI', { resources: { limits: { memory: '128M', cpu: '.5' } } }, { resources: { limits: { cpu: '1K' } } }, 'validators.0.resources.limits.cpu: "1K" must be a Kubernetes quantity'],
  ['quantity sign', { resources: { limits: { cpu: '+2' } } }, { resources: { limits: { cpu: '-1' } } }, 'validators.0.resources.limits.cpu: "-1" must not be negative'],
  ['quantity number', { resources: { limits: { cpu: 0.5 } } }, { resources: { limits: { cpu: -0.5 } } }, 'validators.0.resources.limits.cpu: -0.5 must not be negative'],
  ['resource name', { resources: { limits: { 'nvidia.com/gpu': 1, 'hugepages-2Mi': '1Gi' } } }, { resources: { limits: { gpu: 1 } } }, 'validators.0.resources.limits.gpu: resource name must be cpu, memory, ephemeral-storage'],
  ['extended resource units', { resources: { limits: { 'nvidia.com/gpu': '2' } } }, { resources: { limits: { 'nvidia.com/gpu': '500m' } } }, 'validators.0.resources.limits.nvidia.com/gpu: an extended resource is counted in whole units'],
  ['request within limit', { resources: { requests: { memory: '1Gi' }, limits: { memory: '1024Mi' } } }, { resources: { requests: { memory: '2Gi' }, limits: { memory: '1G' } } }, 'validators.0.resources.requests.memory: the request must not exceed the limit (1G)'],
  ['imagePullSecrets', { imagePullSecrets: ['regcred'] }, { imagePullSecrets: ['RegCred'] }, 'validators.0.imagePullSecrets.0: the name of a Secret must be a DNS subdomain'],
  ['clusterRole', { clusterRole: 'system:aggregate-to-view' }, { clusterRole: 'team/viewer' }, 'validators.0.clusterRole: a ClusterRole name must not contain "/" or "%"'],
  ['runtimeClassName', { runtimeClassName: 'nvidia' }, { runtimeClassName: 'Nvidia' }, 'validators.0.runtimeClassName: a RuntimeClass name must be a DNS subdomain'],
  ['toleration key', { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }, { tolerations: [{ key: 'nvidia.com/gpu x', operator: 'Exists' }] }, 'validators.0.tolerations.0.key: a toleration key the name'],
  ['toleration without key', { tolerations: [{ operator: 'Exists' }] }, { tolerations: [{ operator: 'Equal', value: 'x' }] }, 'validators.0.tolerations.0.operator: must be "Exists" when the key is empty'],
  ['tolerationSeconds', { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] }, { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }] }, 'validators.0.tolerations.0.effect: must be "NoExecute" when tolerationSeconds is set'],
  ['toleration value with Exists', { tolerations: [{ key: 'k', operator: 'Equal', value: 'v' }] }, { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }, 'validators.0.tolerations.0.value: must be empty when the operator is "Exists"'],
  ['image', { image: 'localhost:5000/team/check_x:1.0@sha256:' + 'a'.repeat(64) }, { image: 'Example/Check:1' }, 'validators.0.image: the image must be an image reference'],
  ['image with spaces', { image: 'busybox' }, { image: 'busybox latest' }, 'validators.0.image: the image must be an image reference'],
  ['argument size', { args: ['x'.repeat(128 * 1024)] }, { args: ['x'.repeat(128 * 1024 + 1)] }, "validators.0.args.0: must be at most 131072 bytes (the kernel's limit for one argument)"],
  ['command, args and env together', { args: ['x'.repeat(100 * 1024)] }, { args: Array.from({ length: 6 }, () => 'x'.repeat(100 * 1024)) }, 'validators.0.args: command, args and env values take 614400 bytes; at most 524288'],
  ['runAsUser', { runAsUser: 2147483647 }, { runAsUser: 2147483648 }, 'validators.0.runAsUser: must be at most 2147483647'],
])('%s: a valid value passes, an invalid one names the field and the fix', (_rule, valid, invalid, message) => {
  expect(problems(valid)).toBe('');
  expect(problems(invalid)).toContain(message);
});

test.each([
  ['input file name', { inputs: { 'snap-1.yaml': 'x' } }, { inputs: { '..snap': 'x' } }, 'inputs...snap: an input file name must not start with ".."'],
  ['input file name length', { inputs: { ['a'.repeat(253)]: 'x' } }, { inputs: { ['a'.repeat(254)]: 'x' } }, 'an input file name must be at most 253 characters'],
  ['input file env names', { inputs: { 'a.yaml': 'x', 'b.yaml': 'y' } }, { inputs: { 'a.yaml': 'x', 'A-yaml': 'y' } }, 'inputs.A-yaml: "A-yaml" and "a.yaml" both become $VERDICT_INPUT_A_YAML: rename one'],
  ['secret values', { validators: [{ ...validator, env: [{ name: 'S', value: 'x'.repeat(100 * 1024), secret: true }] }] }, { validators: Array.from({ length: 11 }, (_, i) => ({ ...validator, name: `v${i}`, env: [{ name: 'S', value: 'x'.repeat(100 * 1024), secret: true }] })) }, 'validators: env values marked secret take 1126445 bytes; they must fit one Secret'],
  ['report labels', { labels: { build: '1234', 'owner email': 'a@b.c' } }, { labels: { big: 'x'.repeat(16 * 1024) } }, 'labels: labels take 16387 bytes; at most 16384'],
])('%s: a valid suite passes, an invalid one names the field and the fix', (_rule, valid, invalid, message) => {
  expect(problems({}, valid)).toBe('');
  expect(problems({}, invalid)).toContain(message);
});

test('the whole suite must fit a workflow input', () => {
  const validators = Array.from({ length: 4 }, (_, i) => ({ ...validator, name: `v${i}`, args: Array.from({ length: 4 }, () => 'x'.repeat(120 * 1024)) }));
  const text = problems({}, { validators });
  expect(text).toMatch(new RegExp(`^\\(top level\\): the suite takes \\d+ bytes as JSON; a run's input must be at most ${maxSuiteBytes} bytes`, 'm'));
});

test('quantities take the full grammar: signs, exponents, decimal and binary SI', () => {
  expect([quantityValue('1e3'), quantityValue('1E-3'), quantityValue('2Ki'), quantityValue('.5'), quantityValue('5.'), quantityValue('1500m'), quantityValue('1E'), quantityValue('3u')]).toEqual([1000, 0.001, 2048, 0.5, 5, 1.5, 1e18, 3e-6]);
  expect(['', '.', '1e', '1ki', '1 Gi', 'e3', '1Gi3', '0x10'].map(quantityValue)).toEqual(Array(8).fill(undefined));
});
