// Signals to `verdict run` behave as a user expects: with its own embedded worker, Ctrl-C (or
// SIGTERM) cancels the run and waits for its cleanup; a `verdict run` that only follows a run
// stops following, says how to follow or cancel it, and leaves it running.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { spawnVerdict, type CliProcess } from '../harness/cli';
import { withVerdictWorker } from '../harness/verdict-worker';
import { withClient } from '../harness/temporal';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { eventually } from '../harness/eventually';
import { sim, suite } from '../harness/suites';
import { runHandle } from '../../src/client';
import { embeddedTaskQueue } from '../../src/cli/run-command';

jest.setTimeout(180_000);
const dir = mkdtempSync(join(tmpdir(), 'verdict-signals-'));

/** A suite whose one validator hangs until it is stopped. */
function hangingSuite(name: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(suite(name, testNamespace(), [sim('hangs', 'deployment', { hang: 'true' }, { timeout: '5m' })])));
  return file;
}

/** The run's ID once the CLI says it started, and once its validator's pod runs. */
async function startedRun(cli: CliProcess): Promise<string> {
  const runId = await eventually(() => Promise.resolve(/\[verdict\] run (\S+) started/.exec(cli.output.stderr)?.[1]), `the run to start (stderr: ${cli.output.stderr})`, 60_000);
  await eventually(async () => ((await clients().core.listNamespacedPod({ namespace: testNamespace() })).items.some((p) => p.status?.phase === 'Running') ? true : undefined), 'the validator pod to run', 60_000);
  return runId;
}

test('Ctrl-C on a run with its embedded worker cancels the run, waits for its cleanup, exits 130; the run was on a task queue of its own', async () => {
  const name = `sigint-${randomUUID().slice(0, 8)}`;
  // No Temporal address: the sandbox's, with this process as the worker.
  const cli = spawnVerdict(['run', hangingSuite(name), '--sandbox'], { TEMPORAL_ADDRESS: undefined, VERDICT_TASK_QUEUE: undefined });
  const runId = await startedRun(cli);
  cli.child.kill('SIGINT');
  const res = await cli.done;
  expect(res.stderr).toContain(`SIGINT: cancelling run ${runId} and waiting for its Jobs and RBAC to be deleted`);
  expect(res.stdout).toMatch(/deployment\s+hangs\s+other\s+Cancelled/);
  expect(res.code).toBe(130);
  await withClient(async (client) => {
    const handle = runHandle(client, runId);
    expect((await handle.result()).status).toBe('cancelled');
    expect((await handle.describe()).taskQueue).toBe(embeddedTaskQueue(runId));
  });
  expect((await clients().batch.listNamespacedJob({ namespace: testNamespace() })).items).toEqual([]);
});

test('SIGTERM to a run that only follows: it stops following, says how to follow or cancel, exits 143, and the run goes on', async () => {
  const name = `sigterm-${randomUUID().slice(0, 8)}`;
  await withVerdictWorker(async (taskQueue, client) => {
    const cli = spawnVerdict(['run', hangingSuite(name), '--task-queue', taskQueue]);
    const runId = await startedRun(cli);
    cli.child.kill('SIGTERM');
    const res = await cli.done;
    expect(res.code).toBe(143);
    expect(res.stderr).toContain(`SIGTERM: stopped following run ${runId}, which goes on. Follow it with \`verdict status ${runId}\`, cancel it with \`verdict cancel ${runId}\`.`);
    const handle = runHandle(client, runId);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.cancel();
    expect((await handle.result()).status).toBe('cancelled');
  });
  expect((await clients().batch.listNamespacedJob({ namespace: testNamespace() })).items).toEqual([]);
});
