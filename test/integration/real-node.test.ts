// Runs through Verdict on the sandbox's real node (containerd, runc and a real kubelet): what the
// report says about real containers' exit codes, termination messages, logs, OOM kills and pulls.
import { randomUUID } from 'node:crypto';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { realNodeName, requireRealNode, script, validatorBase } from '../harness/real-node';
import { privateImageRef, privateImages } from '../../src/sandbox/node-layout';
import { privateRegistryLogin } from '../../src/sandbox/real-node';
import { runSuite } from '../../src/workflows';
import type { SuiteInput } from '../../src/core/spec';

beforeAll(requireRealNode);

async function run(suite: SuiteInput) {
  const output = await withVerdictWorker((taskQueue, client) =>
    client.workflow.execute(runSuite, { taskQueue, workflowId: `real-${randomUUID()}`, args: [{ suite }] }),
  );
  return { output, byName: Object.fromEntries(output.report.results.tests.map((t) => [t.name, t])) };
}

/** Prints two lines, writes the termination message, exits with `code`. */
const exits = (code: number, message: string) =>
  `echo "checking as $(id -u)"; echo "exit ${code} next"; printf '%s' '${message}' > /dev/termination-log; exit ${code}`;

test('exit codes 0, 1, 2 and 3 of real shell scripts: status, exit code, termination message and stdout', async () => {
  const { output, byName } = await run({
    name: 'real-exits',
    namespace: testNamespace(),
    failFast: false,
    validators: [
      script('passes', 'readiness', exits(0, 'all good')),
      script('fails', 'readiness', exits(1, 'driver missing')),
      script('skips', 'readiness', exits(2, 'no GPU here')),
      script('other', 'readiness', exits(3, 'could not tell')),
    ],
  });
  const stdout = (code: number) => ['checking as 65534', `exit ${code} next`];
  expect(byName.passes).toMatchObject({ status: 'passed', message: 'all good', stdout: stdout(0), extra: { exitCode: 0, node: realNodeName } });
  expect(byName.fails).toMatchObject({ status: 'failed', message: 'driver missing', stdout: stdout(1), extra: { exitCode: 1, node: realNodeName } });
  expect(byName.skips).toMatchObject({ status: 'skipped', message: 'no GPU here', stdout: stdout(2), extra: { exitCode: 2, node: realNodeName } });
  expect(byName.other).toMatchObject({ status: 'other', message: 'could not tell', stdout: stdout(3), extra: { exitCode: 3, node: realNodeName } });
  expect(output.report.results.summary).toMatchObject({ tests: 4, passed: 1, failed: 1, skipped: 1, other: 1 });
  expect(output.status).toBe('failed');
});

test('a container over its memory limit is OOM-killed by the kernel: exit 137, OOMKilled', async () => {
  const { byName } = await run({
    name: 'real-oom',
    namespace: testNamespace(),
    validators: [
      // dd (the container's main process) needs a 256 MiB block buffer: it cannot fit in 32 MiB.
      script('hungry', 'readiness', 'echo allocating; exec dd if=/dev/zero of=/dev/null bs=256M count=1', {
        resources: { requests: { memory: '32Mi' }, limits: { memory: '32Mi' } },
      }),
    ],
  });
  expect(byName.hungry).toMatchObject({
    status: 'other',
    message: 'the container ran out of memory (OOMKilled)',
    stdout: ['allocating'],
    extra: { exitCode: 137, reason: 'OOMKilled', node: realNodeName },
  });
});

test('an image the registry does not have: stuck early with the kubelet\'s pull error', async () => {
  const missing = validatorBase.replace('validator-base:1', 'missing:1');
  const started = Date.now();
  const { byName } = await run({
    name: 'real-pull',
    namespace: testNamespace(),
    stuckAfter: { imagePull: '5s' },
    validators: [script('no-image', 'readiness', 'exit 0', { image: missing })],
  });
  expect(byName['no-image']).toMatchObject({
    status: 'other',
    extra: { exitCode: -1, reason: expect.stringMatching(/^(ErrImagePull|ImagePullBackOff)$/) as string, node: realNodeName },
  });
  // The kubelet's own words, from containerd's pull (a back-off message repeats them).
  expect(byName['no-image'].message).toContain(
    `rpc error: code = NotFound desc = failed to pull and unpack image "${missing}": failed to resolve reference "${missing}": ${missing}: not found`,
  );
  expect(Date.now() - started).toBeLessThan(60_000);
});

test('a private registry: an imagePullSecrets Secret that is missing is stuck early with the kubelet\'s refusal; the right one pulls', async () => {
  const namespace = testNamespace();
  const login = privateRegistryLogin();
  const auth = Buffer.from(`${login.user}:${login.password}`).toString('base64');
  // The test's own Secret, as a cluster's operator would make it (not Verdict's: it never creates pull secrets).
  await clients().core.createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'registry-login' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [login.server]: { auth } } })).toString('base64') } },
  });
  const noLogin = privateImageRef(privateImages.noLogin);
  const { byName } = await run({
    name: 'real-private',
    namespace,
    failFast: false,
    stuckAfter: { imagePull: '5s' },
    validators: [
      script('missing-secret', 'readiness', 'exit 0', { image: noLogin, imagePullSecrets: ['registry-login-missing'] }),
      script('with-login', 'readiness', 'echo pulled with a login', { image: privateImageRef(privateImages.login), imagePullSecrets: ['registry-login'] }),
    ],
  });
  expect(byName['missing-secret']).toMatchObject({
    status: 'other',
    extra: { exitCode: -1, reason: expect.stringMatching(/^(ErrImagePull|ImagePullBackOff)$/) as string, node: realNodeName },
  });
  // containerd's words for the registry's 401, as the kubelet reports them.
  expect(byName['missing-secret'].message).toContain(`failed to pull and unpack image "${noLogin}"`);
  expect(byName['missing-secret'].message).toMatch(/: pulling from host 127\.0\.0\.1:\d+ failed with status code \[manifests no-login\]: 401 Unauthorized$/);
  expect(byName['with-login']).toMatchObject({ status: 'passed', stdout: ['pulled with a login'], extra: { exitCode: 0, node: realNodeName } });
});
