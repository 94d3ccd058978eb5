// Every file in examples/ works as README.md says: the sandbox suite runs end to end, the
// real-cluster suite validates, and the client API program starts, follows and reports a run.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { verdict, type CliResult } from '../harness/cli';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
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

test('every example file is one this test file exercises', () => {
  const covered = ['client-api.ts', 'real-cluster-suite.yaml', 'sandbox-suite.yaml', 'snapshot.yaml'];
  expect(readdirSync(examples).sort()).toEqual(covered);
});

test('verdict validate accepts both example suites', async () => {
  const sandbox = await verdict(['validate', join(examples, 'sandbox-suite.yaml')]);
  expect(sandbox).toMatchObject({ code: 0, stdout: expect.stringContaining('ok: suite sandbox-demo, 6 validator(s)') as string });
  const real = await verdict(['validate', join(examples, 'real-cluster-suite.yaml')]);
  expect(real).toMatchObject({ code: 0, stderr: '' });
  expect(real.stdout).toContain('ok: suite cluster-basics, 2 validator(s) in readiness, deployment, namespace verdict-cluster-basics');
});

test('the sandbox example suite runs end to end: passed, failed, skipped, other, timeout, stuck, sub-tests', async () => {
  const file = inTestNamespace('sandbox-suite.yaml', ['snapshot.yaml']);
  const ctrf = join(mkdtempSync(join(tmpdir(), 'verdict-example-')), 'report.json');
  await withVerdictWorker(async (taskQueue) => {
    const res = await verdict(['run', file, '--task-queue', taskQueue, '--ctrf', ctrf]);
    expect(res.code).toBe(1); // the conformance validator fails on purpose
    const report = JSON.parse(readFileSync(ctrf, 'utf8')) as CtrfReport;
    const statuses = Object.fromEntries(report.results.tests.map((t) => [t.name, t.status]));
    expect(statuses).toEqual({
      'api-server-ready': 'passed',
      'gpu-operator': 'passed',
      rdma: 'skipped',
      'private-registry': 'other',
      'nccl-bandwidth': 'other',
      conformance: 'failed',
    });
    expect(report.results.summary).toMatchObject({ tests: 6, passed: 2, failed: 1, skipped: 1, other: 2 });
    const byName = Object.fromEntries(report.results.tests.map((t) => [t.name, t]));
    expect(byName['private-registry'].message).toContain('manifest unknown');
    expect(byName['nccl-bandwidth'].message).toMatch(/timeout|deadline/i);
    expect(JSON.stringify(byName['gpu-operator'])).toContain('TestDevicePlugin');
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
