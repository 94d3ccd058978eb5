// The `verdict` command line against the real servers.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { verdict } from '../harness/cli';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';

const dir = mkdtempSync(join(tmpdir(), 'verdict-cli-'));

test('run follows a suite to its report, writes CTRF and JUnit, exits 1 on a failure; status, report and list find it', async () => {
  const name = `cli-${randomUUID().slice(0, 8)}`;
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(suite(name, testNamespace(), [sim('good', 'deployment', { 'exit-code': '0' }), sim('bad', 'deployment', { 'exit-code': '1', message: 'broken' })])));
  const ctrf = join(dir, `${name}.json`);
  const junit = join(dir, `${name}.xml`);

  const run = await withVerdictWorker((taskQueue) => verdict(['run', file, '--task-queue', taskQueue, '--ctrf', ctrf, '--junit', junit]));
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/deployment\s+bad\s+failed\s+exit code 1\s+broken/);
  expect(run.stdout).toContain('2 validators: 1 passed, 1 failed, 0 skipped, 0 other');
  const report = JSON.parse(readFileSync(ctrf, 'utf8')) as { results: { summary: { failed: number }; extra: { runId: string } } };
  expect(report.results.summary.failed).toBe(1);
  expect(readFileSync(junit, 'utf8')).toContain('<testcase name="bad" classname="deployment"');
  const runId = report.results.extra.runId;

  const status = await verdict(['status', runId]);
  expect(status.code).toBe(0);
  expect(status.stdout).toContain(`run ${runId}: completed`);
  const asJunit = await verdict(['report', runId, '--format', 'junit']);
  expect(asJunit.stdout).toContain('<testsuite name="deployment" tests="2" failures="1"');
  const list = await verdict(['list', '--suite', name, '--status', 'failed']);
  expect(list.stdout.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`  failed  1 +${name}  ${runId}$`)));
  expect((await verdict(['list', '--suite', name, '--status', 'passed'])).stdout).not.toContain(runId);
});

test('bad input exits 2 with the file, line and field, and starts nothing', async () => {
  const name = `bad-${randomUUID().slice(0, 8)}`;
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\nvalidators:\n  - name: x\n    phase: smoke\n    image: example.com/x:1\n`);
  const res = await verdict(['run', file]);
  expect(res.code).toBe(2);
  expect(res.stderr).toContain(`${file}:4: validators.0.phase`);
  expect((await verdict(['list', '--suite', name])).stdout.trim().split('\n')).toHaveLength(1); // the header alone
  expect((await verdict(['validate', file])).code).toBe(2);
  expect((await verdict(['status', 'no-such-run'])).stderr).toContain('no run with ID no-such-run');
});

test('a cluster that does not answer exits 2 naming its server and starts nothing', async () => {
  const name = `unreachable-${randomUUID().slice(0, 8)}`;
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(suite(name, testNamespace(), [sim('check', 'deployment', { 'exit-code': '0' })])));
  const kubeconfig = join(dir, `${name}.kubeconfig`);
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'gone', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'gone', context: { cluster: 'gone', user: 'u' } }],
      'current-context': 'gone',
    }),
  );
  const res = await verdict(['run', file], { KUBECONFIG: kubeconfig, TEMPORAL_ADDRESS: undefined });
  expect(res.code).toBe(2);
  expect(res.stderr).toContain(`cannot reach the Kubernetes API at https://127.0.0.1:1 (kubeconfig ${kubeconfig})`);
  expect((await verdict(['list', '--suite', name])).stdout.trim().split('\n')).toHaveLength(1); // the header alone
});
