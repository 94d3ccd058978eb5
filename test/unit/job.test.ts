import { buildJob, inputEnvName, specHashAnnotation } from '../../src/core/job';
import { validatorSchema } from '../../src/core/spec';

const spec = validatorSchema.parse({
  name: 'gpu-check',
  phase: 'performance',
  image: 'example.com/gpu:1',
  timeout: '2m',
  resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { 'nvidia.com/gpu': 1 } },
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }],
});
const ctx = { runId: 'nightly-1', namespace: 'verdict', jobName: 'verdict-abc-gpu-check', serviceAccount: 'verdict-abc-view', inputs: { configMap: 'verdict-abc-inputs', files: ['snapshot.yaml'] } };

test('a Job that runs once, within its deadline, cleaned up after', () => {
  const job = buildJob(spec, ctx);
  expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 120 + 60, ttlSecondsAfterFinished: 3600 });
  const pod = job.spec!.template.spec!;
  expect(pod.restartPolicy).toBe('Never');
  expect(pod.serviceAccountName).toBe('verdict-abc-view');
  expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
  const c = pod.containers[0];
  expect(c.terminationMessagePolicy).toBe('FallbackToLogsOnError');
  expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { 'nvidia.com/gpu': '1' } });
});

test("the pod holds the timeout backstop, so an outage keeps the pod and its logs; the Job's deadline and TTL are far past any outage", () => {
  const job = buildJob(spec, { ...ctx, execution: '5b0e9d7c-1111-4222-8333-444455556666' });
  expect(job.spec!.template.spec!.activeDeadlineSeconds).toBe(120 + 60);
  expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 120 + 24 * 3600, ttlSecondsAfterFinished: 7 * 24 * 3600 });
  expect(job.metadata!.annotations).toMatchObject({ 'verdict.dev/run-id': 'nightly-1', 'verdict.dev/execution': '5b0e9d7c-1111-4222-8333-444455556666' });
  // Runs started before the change keep the Job-level deadline they were built with.
  expect(buildJob(spec, ctx).spec!.template.spec!.activeDeadlineSeconds).toBeUndefined();
});

test('labels name the run, validator and phase, and mark the Job ours', () => {
  const job = buildJob(spec, ctx);
  for (const labels of [job.metadata!.labels!, job.spec!.template.metadata!.labels!]) {
    expect(labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'verdict', 'verdict.dev/validator': 'gpu-check', 'verdict.dev/phase': 'performance' });
    expect(labels['verdict.dev/run']).toMatch(/^[0-9a-f]{10}$/);
  }
});

test('env names the run, validator, phase, namespace and each input file', () => {
  const env = Object.fromEntries(buildJob(spec, ctx).spec!.template.spec!.containers[0].env!.map((e) => [e.name, e.value]));
  expect(env).toMatchObject({ VERDICT_RUN_ID: 'nightly-1', VERDICT_VALIDATOR: 'gpu-check', VERDICT_PHASE: 'performance', VERDICT_NAMESPACE: 'verdict' });
  expect(env[inputEnvName('snapshot.yaml')]).toBe('/verdict/inputs/snapshot.yaml');
});

test('restricted security context unless privileged is asked for', () => {
  const restricted = buildJob(spec, ctx).spec!.template.spec!.containers[0].securityContext;
  expect(restricted).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  expect(buildJob(spec, ctx).spec!.template.spec!.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  const privileged = buildJob({ ...spec, privileged: true }, ctx).spec!.template.spec!.containers[0].securityContext;
  expect(privileged).toEqual({ privileged: true });
});

test('runAsUser sets the pod user for images whose user is root or named; 0 is refused', () => {
  expect(buildJob({ ...spec, runAsUser: 65534 }, ctx).spec!.template.spec!.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
  const refused = validatorSchema.safeParse({ name: 'root', phase: 'deployment', image: 'busybox', runAsUser: 0 });
  expect(refused.success).toBe(false);
  expect(refused.error!.issues[0]).toMatchObject({ path: ['runAsUser'], message: expect.stringContaining('set privileged: true') as string });
});

test('deterministic: the same input gives the same Job and hash; another spec another hash', () => {
  expect(buildJob(spec, ctx)).toEqual(buildJob(spec, ctx));
  const hash = (s: typeof spec) => buildJob(s, ctx).metadata!.annotations![specHashAnnotation];
  expect(hash({ ...spec, image: 'example.com/gpu:2' })).not.toBe(hash(spec));
});
