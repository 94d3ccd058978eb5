import { describeIssues, suiteSchema, validatorSchema } from '../../src/core/spec';

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

test('input files over 1 MiB are refused', () => {
  const result = suiteSchema.safeParse({ name: 's', validators: [validator], inputs: { 'big.yaml': 'x'.repeat(1024 * 1024 + 1) } });
  expect(describeIssues(result.error!)).toContain('inputs.big.yaml: must be at most 1048576 bytes');
});

test('secrets are referenced, never inlined', () => {
  const v = validatorSchema.parse({ ...validator, env: [{ name: 'TOKEN', secretKeyRef: { name: 'creds', key: 'token' } }] });
  expect(JSON.stringify(v)).not.toMatch(/"value"/);
});
