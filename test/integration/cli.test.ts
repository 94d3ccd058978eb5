// The `verdict` command line against the real servers.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { verdict } from '../harness/cli';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { rerunOfLabel } from '../../src/cli/rerun-command';
import { maxSuiteBytes } from '../../src/core/spec';

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
  const report = JSON.parse(readFileSync(ctrf, 'utf8')) as { results: { summary: { failed: number }; extra: { runId: string; startedBy: string } } };
  expect(report.results.summary.failed).toBe(1);
  expect(report.results.extra.startedBy).toBe(`${userInfo().username}@${hostname()} (verdict CLI)`); // who started it
  expect(readFileSync(junit, 'utf8')).toContain('<testcase name="bad" classname="deployment"');
  const runId = report.results.extra.runId;

  const status = await verdict(['status', runId]);
  expect(status.code).toBe(0);
  expect(status.stdout).toContain(`run ${runId}: completed`);
  // No worker serves the run's task queue any more: the validators come from its result.
  expect(status.stdout).toMatch(/^  deployment +good +passed$/m);
  expect(status.stdout).toMatch(/^  deployment +bad +failed/m);
  const asJunit = await verdict(['report', runId, '--format', 'junit']);
  expect(asJunit.stdout).toContain('<testsuite name="deployment" tests="2" failures="1"');
  const list = await verdict(['list', '--suite', name, '--status', 'failed']);
  expect(list.stdout.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`  failed  1 +${name}  ${runId}$`)));
  expect((await verdict(['list', '--suite', name, '--status', 'passed'])).stdout).not.toContain(runId);

  // rerun --failed: the same suite and inputs, only what failed; its report names the run it repeats.
  const again = join(dir, `${name}-rerun.json`);
  const rerun = await withVerdictWorker((taskQueue) => verdict(['rerun', runId, '--failed', '--task-queue', taskQueue, '--ctrf', again]));
  expect(rerun.code).toBe(1);
  const rerunReport = JSON.parse(readFileSync(again, 'utf8')) as { results: { tests: { name: string; status: string }[]; extra: { runId: string; labels: Record<string, string> } } };
  expect(rerunReport.results.tests.map((t) => [t.name, t.status])).toEqual([['bad', 'failed']]);
  expect(rerunReport.results.extra.labels).toEqual({ [rerunOfLabel]: runId });
  expect(rerunReport.results.extra.runId).not.toBe(runId);
  // A whole rerun with a selection: only the passing validator, so it passes.
  const chosen = await withVerdictWorker((taskQueue) => verdict(['rerun', runId, '--skip', 'bad', '--task-queue', taskQueue]));
  expect(chosen.code).toBe(0);
  expect(chosen.stdout).toContain('1 validators: 1 passed, 0 failed, 0 skipped, 0 other');
  const wrong = await verdict(['rerun', runId, '--only', 'bda']);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain(`--only: bda is not in suite ${name}; its validators are good, bad`);
});

test('--only, --skip and --phase choose validators at run time; a choice that names nothing there exits 2 and starts nothing', async () => {
  const name = `choose-${randomUUID().slice(0, 8)}`;
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(suite(name, testNamespace(), [sim('ready', 'readiness', { 'exit-code': '0' }), sim('deploy', 'deployment', { 'exit-code': '1' }), sim('perf', 'performance', { 'exit-code': '0' })])));
  for (const [args, message] of [
    [['--phase', 'smoke'], '--phase smoke: not a phase; the phases are readiness, deployment, performance, conformance'],
    [['--only', 'ready', '--phase', 'deployment'], `no validator of suite ${name} is left to run with --only ready --phase deployment: choose at least one`],
  ] as const) {
    const res = await verdict(['run', file, ...args]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
  }
  expect((await verdict(['list', '--suite', name])).stdout.trim().split('\n')).toHaveLength(1); // the header alone

  const ctrf = join(dir, `${name}.json`);
  const run = await withVerdictWorker((taskQueue) => verdict(['run', file, '--phase', 'readiness,performance', '--skip', 'perf', '--task-queue', taskQueue, '--ctrf', ctrf]));
  expect(run.code).toBe(0);
  const report = JSON.parse(readFileSync(ctrf, 'utf8')) as { results: { tests: { name: string }[] } };
  expect(report.results.tests.map((t) => t.name)).toEqual(['ready']);
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
  expect((await verdict(['rerun', 'no-such-run'])).stderr).toContain('no run with ID no-such-run');
});

test('a suite too big for a run input exits 2 naming its size and the limit, and starts nothing', async () => {
  const name = `big-${randomUUID().slice(0, 8)}`;
  const file = join(dir, `${name}.yaml`);
  const big = Array.from({ length: 420 }, (_, i) => sim(`v${i}`, 'readiness', {}, { env: [{ name: 'BIG', value: 'x'.repeat(4000) }] }));
  writeFileSync(file, stringify(suite(name, testNamespace(), big)));
  const res = await verdict(['run', file]);
  expect(res.code).toBe(2);
  expect(res.stderr).toMatch(new RegExp(`the suite takes \\d+ bytes as JSON; a run's input must be at most ${maxSuiteBytes} bytes`));
  expect((await verdict(['list', '--suite', name])).stdout.trim().split('\n')).toHaveLength(1); // the header alone
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

test('diff compares a run with the previous completed run of its suite and cluster, or with the run named', async () => {
  const name = `diff-${randomUUID().slice(0, 8)}`;
  const file = join(dir, `${name}.yaml`);
  const runOf = async (validators: ReturnType<typeof sim>[]) => {
    writeFileSync(file, stringify(suite(name, testNamespace(), validators)));
    const ctrf = join(dir, `${name}-${randomUUID().slice(0, 4)}.json`);
    await withVerdictWorker((taskQueue) => verdict(['run', file, '--task-queue', taskQueue, '--ctrf', ctrf]));
    return (JSON.parse(readFileSync(ctrf, 'utf8')) as { results: { extra: { runId: string } } }).results.extra.runId;
  };
  const exit = (code: string) => ({ 'exit-code': code });
  const first = await runOf([sim('breaks', 'deployment', exit('0')), sim('heals', 'deployment', exit('1')), sim('stays', 'deployment', exit('1'))]);
  const second = await runOf([sim('breaks', 'deployment', exit('1')), sim('heals', 'deployment', exit('0')), sim('stays', 'deployment', exit('1')), sim('joins', 'deployment', exit('0'))]);

  const none = await verdict(['diff', first]);
  expect(none.code).toBe(2);
  expect(none.stderr).toContain(`run ${first} has no earlier completed run of its suite on its cluster to compare with`);

  const diff = await verdict(['diff', second]);
  expect(diff.code).toBe(1); // something newly fails
  const lines = diff.stdout.split('\n');
  expect(lines[0]).toBe(`run ${second} against ${first}`);
  expect(lines.slice(2, 6).map((l) => l.split(/ {2,}/).slice(0, 5))).toEqual([
    ['newly failing', 'deployment', 'breaks', 'passed', 'failed'],
    ['still failing', 'deployment', 'stays', 'failed', 'failed'],
    ['fixed', 'deployment', 'heals', 'failed', 'passed'],
    ['added', 'deployment', 'joins', '-', 'passed'],
  ]);
  expect(diff.stdout).toContain('1 newly failing, 1 still failing, 1 fixed, 0 slower, 0 status changed, 1 added, 0 removed, 0 unchanged');
  expect((await verdict(['diff', second, first])).stdout).toBe(diff.stdout);
  expect((await verdict(['diff', second, 'no-such-run'])).stderr).toContain('no run with ID no-such-run');

  // Both runs are in the suite's history, newest first.
  const history = await verdict(['history', name]);
  expect(history.code).toBe(0);
  expect(history.stdout).toContain(`suite ${name} on cluster default: 2 of 2 kept runs (keeps 100), newest first`);
  for (const row of [/^breaks +✗ +✓ +1\/2 +1$/m, /^heals +✓ +✗ +1\/2 +1$/m, /^stays +✗ +✗ +0\/2 +0$/m, /^joins +✓ +· +1\/1 +0$/m]) expect(history.stdout).toMatch(row);
  expect(history.stdout).toMatch(new RegExp(`^1 +\\S+ +failed +${second}$`, 'm'));
  expect(history.stdout).toMatch(new RegExp(`^2 +\\S+ +failed +${first}$`, 'm'));
  expect((await verdict(['history', name, '--last', '1'])).stdout).not.toContain(first);
  const nowhere = await verdict(['history', name, '--cluster', 'elsewhere']);
  expect(nowhere.code).toBe(2);
  expect(nowhere.stderr).toContain(`suite ${name} has no recorded run on cluster elsewhere`);
});
