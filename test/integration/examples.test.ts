// Every file in examples/ works as README.md says: the sandbox suite runs end to end (its real
// validators on the real node), the real-cluster suite validates, and the client API program
// starts, follows and reports a run. validator-template.test.ts runs the template validator.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { verdict, type CliResult } from '../harness/cli';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { realNodeName, requireRealNode } from '../harness/real-node';
import { repoRoot } from '../../src/sandbox/binaries';
import type { CtrfReport } from '../../src/core/ctrf';

const examples = join(repoRoot, 'examples');
const compiledClientExample = join(repoRoot, 'dist', 'examples', 'client-api.js');

/** Runs the compiled client API example (`npm run build` compiles it) with these settings. */
function clientExample(env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [compiledClientExample], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A copy of an example suite (and its input files) that runs in the test's own namespace. */
function inTestNamespace(file: string, inputs: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-example-'));
  const doc = parseDocument(readFileSync(join(examples, file), 'utf8'));
  doc.set('namespace', testNamespace());
  writeFileSync(join(dir, file), doc.toString());
  for (const f of inputs) copyFileSync(join(examples, f), join(dir, f));
  return join(dir, file);
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, rel)).isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

test('every example file is one a test exercises', () => {
  const covered = [
    'client-api.ts', // below
    'real-cluster-suite.yaml', // below, through verdict validate
    'sandbox-suite.yaml', // below
    'snapshot.yaml', // the sandbox suite's input
    'validator-template/validate.sh', // validator-template.test.ts
  ];
  expect(filesUnder(examples).sort()).toEqual(covered);
});

test('verdict validate accepts both example suites', async () => {
  const sandbox = await verdict(['validate', join(examples, 'sandbox-suite.yaml')]);
  expect(sandbox).toMatchObject({ code: 0, stdout: expect.stringContaining('ok: suite sandbox-demo, 6 validator(s)') as string });
  const real = await verdict(['validate', join(examples, 'real-cluster-suite.yaml')]);
  expect(real).toMatchObject({ code: 0, stderr: '' });
  expect(real.stdout).toContain('ok: suite cluster-basics, 2 validator(s) in readiness, deployment, namespace verdict-cluster-basics');
});

test('the sandbox example suite runs end to end: real and simulated validators, every outcome', async () => {
  await requireRealNode();
  const file = inTestNamespace('sandbox-suite.yaml', ['snapshot.yaml']);
  const ctrf = join(mkdtempSync(join(tmpdir(), 'verdict-example-')), 'report.json');
  await withVerdictWorker(async (taskQueue) => {
    const res = await verdict(['run', file, '--task-queue', taskQueue, '--ctrf', ctrf]);
    expect(res.code).toBe(1); // the conformance validator fails on purpose
    expect(res.stdout).toContain('6 validators: 2 passed, 1 failed, 1 skipped, 2 other');
    const report = JSON.parse(readFileSync(ctrf, 'utf8')) as CtrfReport;
    expect(report.results.summary).toMatchObject({ tests: 6, passed: 2, failed: 1, skipped: 1, other: 2 });
    const byName = Object.fromEntries(report.results.tests.map((t) => [t.name, t]));
    const nodes = Object.fromEntries(report.results.tests.map((t) => [t.name, t.extra?.node]));
    // Real containers on the real node, except the GPU validators (simulated on kwok nodes).
    expect(nodes).toEqual({
      'cluster-inventory': realNodeName,
      'gpu-operator': 'verdict-gpu-1',
      rdma: realNodeName,
      'private-registry': realNodeName,
      'nccl-bandwidth': expect.stringMatching(/^verdict-worker-\d+$/) as string,
      conformance: realNodeName,
    });

    // The template validator reads the input file and reports its sub-tests.
    const inventory = '4 checks passed: cluster sandbox has 3 nodes and 8 GPUs';
    expect(byName['cluster-inventory']).toMatchObject({ status: 'passed', message: inventory, extra: { exitCode: 0 } });
    expect(byName['cluster-inventory'].stdout?.[0]).toBe('checking the inventory of cluster sandbox: 3 nodes, 8 GPUs');
    expect(byName['cluster-inventory'].stdout?.at(-1)).toBe(inventory);
    const subTests = (name: string) => (byName[name].extra?.tests as { name: string; status: string }[]).map((t) => `${t.name} ${t.status}`);
    expect(subTests('cluster-inventory')).toEqual(['TestRunsAsNonRoot passed', 'TestInputReadOnly passed', 'TestEnoughNodes passed', 'TestEnoughGPUs passed']);

    expect(byName['gpu-operator']).toMatchObject({ status: 'passed', extra: { exitCode: 0 } });
    expect(subTests('gpu-operator')).toEqual(['TestDriverLoaded passed', 'TestDevicePlugin passed']);

    expect(byName.rdma).toMatchObject({
      status: 'skipped',
      message: 'no RDMA devices on this node',
      stdout: ['looking for RDMA devices in /sys/class/infiniband'],
      extra: { exitCode: 2 },
    });

    const missing = 'registry.verdict.local/private/checks:1.0';
    expect(byName['private-registry']).toMatchObject({ status: 'other', extra: { exitCode: -1, reason: expect.stringMatching(/^(ErrImagePull|ImagePullBackOff)$/) as string } });
    expect(byName['private-registry'].message).toContain(`failed to pull and unpack image "${missing}": failed to resolve reference "${missing}": ${missing}: not found`);

    expect(byName['nccl-bandwidth']).toMatchObject({
      status: 'other',
      message: 'timeout: the validator did not complete within 10s',
      stdout: ['allreduce 8 GPUs: warming up...'],
      extra: { exitCode: -1, reason: 'Timeout' },
    });

    expect(byName.conformance).toMatchObject({
      status: 'failed',
      message: '1 of 4 conformance checks failed',
      stdout: [
        'conformance of cluster sandbox, as uid 65534',
        'ok: service account token mounted',
        'ok: the inventory names the cluster',
        'FAIL: cluster DNS: /etc/resolv.conf does not search svc.cluster.local',
        'ok: the kubernetes Service is in the environment',
      ],
      extra: { exitCode: 1 },
    });
  });
}, 300_000);

test('the client API example starts a run, prints its progress and its report summary', async () => {
  await withVerdictWorker(async (taskQueue) => {
    const res = await clientExample({ VERDICT_TASK_QUEUE: taskQueue, VERDICT_NAMESPACE: testNamespace() });
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toMatch(/^started run client-api-example-\S+\n/);
    expect(res.stdout).toContain('  readiness/nodes-ready: passed');
    expect(res.stdout).toContain('  deployment/rdma: skipped: no RDMA devices');
    expect(res.stdout).toMatch(/run client-api-example-\S+: passed: 2 tests, 1 passed, 0 failed, 1 skipped, 0 other\n/);
    expect(res.stdout).toContain('  passed  nodes-ready\n');
    expect(res.stdout).toContain('  skipped rdma (no RDMA devices)\n');
  });
});

test('the client API example refuses a bad namespace, names the field and starts nothing', async () => {
  await withVerdictWorker(async (taskQueue, client) => {
    const res = await clientExample({ VERDICT_TASK_QUEUE: taskQueue, VERDICT_NAMESPACE: 'Not_A_Namespace' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('the suite was refused, nothing was started');
    expect(res.stderr).toContain('suite.namespace');
    const started = await client.workflow.count(`TaskQueue = '${taskQueue}'`);
    expect(started.count).toBe(0);
  });
});
