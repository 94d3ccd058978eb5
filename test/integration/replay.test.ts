// Determinism: histories recorded from real runs must replay on today's workflow code, so a
// change that would break running workflows fails here first. Each scenario below also runs
// fresh and replays its own histories; set VERDICT_RECORD_HISTORIES=1 to add them (the run and
// each validator) to test/fixtures/histories, named after the scenario.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { connect, startFleet, type RunOutput } from '../../src/client';
import { AesGcmCodec, keyRing } from '../../src/codec';
import type { RunInput } from '../../src/core/run';
import { binaryPath } from '../../src/sandbox/binaries';
import { createVerdictWorker, workflowInterceptorModules } from '../../worker/worker';
import { sandboxPolicy } from '../../src/core/policy';
import { eventually } from '../harness/eventually';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { recordRunSignal, runSuite, signalsPerExecution, suiteHistory } from '../../src/workflows';
import { emptyHistory, historyWorkflowId, type RunSummary } from '../../src/core/history';
import { lockWorkflowId } from '../../src/core/exclusive';
import { taskQueueFor } from '../../src/core/cluster';

const dir = join(__dirname, '..', 'fixtures', 'histories');
const workflowsPath = require.resolve('../../src/workflows');
const address = () => process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';

// The scenarios run with the payload codec, as a run with secret-marked values must, so their
// histories are recorded encrypted under this fixed test key (derived from a public phrase, never
// used for real data); replay decodes with it and passes unencrypted histories through.
const fixtureKey = createHash('sha256').update('verdict replay fixtures: a public test key, not a secret').digest('base64');
const codec = new AesGcmCodec(keyRing([{ source: 'test', id: 'replay-fixtures', key: fixtureKey }]));
const replayOptions = { workflowsPath, interceptors: { workflowModules: workflowInterceptorModules }, dataConverter: { payloadCodecs: [codec] } };

/** A workflow's history as the Temporal CLI exports it (payloads as stored: encrypted ones stay so). */
const exportHistory = (workflowId: string, runId?: string) =>
  execFileSync(binaryPath('temporal'), ['workflow', 'show', '--address', address(), '-w', workflowId, ...(runId ? ['-r', runId] : []), '-o', 'json'], { encoding: 'utf8' });

/** Replays a history just made, and records it when asked. */
async function replayAndRecord(workflowId: string, json: string): Promise<void> {
  await Worker.runReplayHistory(replayOptions, historyFromJSON(JSON.parse(json)), workflowId);
  if (process.env.VERDICT_RECORD_HISTORIES === '1') writeFileSync(join(dir, `${encodeURIComponent(workflowId)}.json`), json);
}

test('every recorded history replays on the current workflow code', async () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThan(0);
  // The file name is the workflow ID (URI-encoded): a run's child workflow IDs derive from it, and replay checks them.
  const histories = files.map((f) => ({ workflowId: decodeURIComponent(f.replace(/\.json$/, '')), history: historyFromJSON(JSON.parse(readFileSync(join(dir, f), 'utf8'))) }));
  const failures: string[] = [];
  for await (const r of Worker.runReplayHistories(replayOptions, histories)) {
    if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
  }
  expect(failures).toEqual([]);
});

/**
 * Runs `input` as `<scenario>-<random>` on a Verdict worker with the fixture codec, lets `during`
 * act on the running workflow, then replays the run's and its validators' histories (and records
 * them when asked). Returns the run's output.
 */
async function scenario(name: string, input: RunInput, during?: (client: Client, runId: string) => Promise<void>): Promise<RunOutput> {
  const runId = `${name}-${randomBytes(4).toString('hex')}`;
  // A run on a cluster of its own: its worker serves that cluster's queue, where the cluster's lock runs too.
  const { cluster } = input;
  const taskQueue = cluster ? taskQueueFor(cluster) : `verdict-replay-${runId}`;
  const client = await connect({ address: address(), codec });
  const vw = await createVerdictWorker({ temporalAddress: address(), taskQueue, cluster, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 5_000, codec, policy: sandboxPolicy });
  const lock = cluster && input.suite.exclusive ? lockWorkflowId(cluster) : undefined;
  let output: RunOutput;
  try {
    output = await vw.worker.runUntil(async () => {
      const handle = await client.workflow.start(runSuite, { taskQueue, workflowId: runId, args: [input] });
      await during?.(client, runId);
      const result = await handle.result();
      if (lock) await eventually(async () => ((await client.workflow.getHandle(lock).describe()).status.name === 'COMPLETED' ? true : undefined), 'the lock to end');
      return result;
    });
  } finally {
    vw.watches.stop();
    await client.connection.close();
  }
  const run = exportHistory(runId);
  const children = (historyFromJSON(JSON.parse(run)).events ?? []).flatMap((e) => e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId ?? []);
  const others = [...children, ...(lock ? [lock] : [])];
  for (const [workflowId, json] of [[runId, run], ...others.map((id) => [id, exportHistory(id)])]) await replayAndRecord(workflowId, json);
  return output;
}

const outcomes = (o: RunOutput) => o.report.results.tests.map((t) => ({ name: t.name, status: t.status, reason: t.extra?.reason }));

test('a run with a passing, a failing and a skipped validator', async () => {
  const s = suite('replayed', testNamespace(), [
    sim('passes', 'readiness', { 'exit-code': '0' }),
    sim('fails', 'deployment', { 'exit-code': '1', stdout: 'x' }),
    sim('skipped-later', 'conformance', { 'exit-code': '0' }),
  ], { inputs: { 'snapshot.yaml': 'a: 1\n' } });
  const out = await scenario('replayed', { suite: s });
  expect(out.status).toBe('failed');
});

test('failFast: a failed phase skips the later ones', async () => {
  const s = suite('failfast', testNamespace(), [
    sim('fails', 'readiness', { 'exit-code': '1', message: 'not ready' }),
    sim('skipped-later', 'deployment', { 'exit-code': '0' }),
  ], { failFast: true });
  const out = await scenario('failfast-skip', { suite: s });
  expect(out.status).toBe('failed');
  expect(outcomes(out)).toMatchObject([
    { name: 'fails', status: 'failed' },
    { name: 'skipped-later', status: 'skipped', reason: 'PhaseFailed' },
  ]);
});

test('a validator that outlives its timeout', async () => {
  const s = suite('timeout', testNamespace(), [sim('hangs', 'readiness', { hang: 'true' }, { timeout: '5s' })]);
  const out = await scenario('timed-out-validator', { suite: s });
  expect(outcomes(out)).toEqual([{ name: 'hangs', status: 'other', reason: 'Timeout' }]);
});

test('a run cancelled while a validator runs', async () => {
  const s = suite('cancelled', testNamespace(), [
    sim('hangs', 'readiness', { hang: 'true' }, { timeout: '10m' }),
    sim('never-reached', 'deployment', { 'exit-code': '0' }),
  ]);
  const out = await scenario('cancelled-mid-validator', { suite: s }, async (client, runId) => {
    // Cancel once the validator's Job is being awaited, so the cancellation lands mid-validator.
    await eventually(async () => {
      const run = (await client.workflow.getHandle(runId).fetchHistory()).events ?? [];
      const child = run.find((e) => e.childWorkflowExecutionStartedEventAttributes)?.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
      const pending = child ? ((await client.workflow.getHandle(child).describe()).raw.pendingActivities ?? []) : [];
      return pending.some((a) => a.activityType?.name === 'awaitJob' && a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) ? true : undefined;
    }, 'the validator awaiting its Job');
    await client.workflow.getHandle(runId).cancel();
  });
  expect(out.status).toBe('cancelled');
  expect(outcomes(out)).toEqual([
    { name: 'hangs', status: 'other', reason: 'Cancelled' },
    { name: 'never-reached', status: 'other', reason: 'Cancelled' },
  ]);
});

test("a run whose deadline passes while a validator runs", async () => {
  const s = suite('replay-deadline', testNamespace(), [sim('hangs', 'readiness', { hang: 'true' }, { timeout: '10m' }), sim('never-reached', 'deployment', { 'exit-code': '0' })], { deadline: '8s' });
  const out = await scenario('run-deadline', { suite: s });
  expect(outcomes(out)).toEqual([
    { name: 'hangs', status: 'other', reason: 'RunDeadlineExceeded' },
    { name: 'never-reached', status: 'other', reason: 'RunDeadlineExceeded' },
  ]);
});

test('a validator retried after an other outcome, and a notification rule whose target the worker lacks', async () => {
  const s = suite('retried-notified', testNamespace(), [sim('never-recovers', 'readiness', { 'exit-code': '3' }, { retries: 1 })], { notify: [{ target: 'absent', when: 'always' }] });
  const out = await scenario('retried-notified', { suite: s });
  expect(out.report.results.tests[0]).toMatchObject({ status: 'other', retries: 1 });
  expect(out.report.results.extra?.problems).toEqual([expect.stringContaining('notify.0: this worker has no notification target "absent"')]);
});

test('a run with a secret-marked value: its histories are encrypted and replay with the key', async () => {
  const s = suite('secret', testNamespace(), [
    sim('uses-secret', 'readiness', { 'exit-code': '0', stdout: 'connected with fixture-password' }, { env: [{ name: 'DB_PASSWORD', value: 'fixture-password', secret: true }] }),
  ]);
  const out = await scenario('secret-env', { suite: s });
  expect(outcomes(out)).toMatchObject([{ name: 'uses-secret', status: 'passed' }]);
  expect(JSON.stringify(out)).not.toContain('fixture-password');
});

test('an exclusive run: it waits for, holds and releases its cluster’s lock', async () => {
  const s = suite('exclusive', testNamespace(), [sim('passes', 'readiness', { 'exit-code': '0' })], { exclusive: true });
  const out = await scenario('exclusive', { suite: s, cluster: `replay-${randomBytes(4).toString('hex')}` });
  expect(out.status).toBe('passed');
});

test('a fleet run: one cluster with a worker, one reported unavailable', async () => {
  const cluster = `replay-${randomBytes(4).toString('hex')}`;
  const workflowId = `fleet-${randomBytes(4).toString('hex')}`;
  const taskQueue = taskQueueFor(cluster);
  const client = await connect({ address: address(), codec });
  const vw = await createVerdictWorker({ temporalAddress: address(), taskQueue, cluster, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 5_000, codec, policy: sandboxPolicy });
  try {
    const s = suite('fleet', testNamespace(), [sim('passes', 'readiness', { 'exit-code': '0' })]);
    const out = await vw.worker.runUntil(async () => (await startFleet(client, { suite: s, clusters: [cluster, `${cluster}-gone`], unavailableAfter: '2s' }, { workflowId })).result());
    expect(out.report.results.tests.map((t) => t.rawStatus)).toEqual(['passed', 'unavailable']);
  } finally {
    vw.watches.stop();
    await client.connection.close();
  }
  await replayAndRecord(workflowId, exportHistory(workflowId));
});

test('a suite history that takes its share of signals and continues as new', async () => {
  const workflowId = historyWorkflowId('default', `replay-${randomBytes(4).toString('hex')}`);
  const taskQueue = `verdict-replay-history-${randomBytes(4).toString('hex')}`;
  const client = await connect({ address: address(), codec });
  const connection = await NativeConnection.connect({ address: address() });
  const worker = await Worker.create({ ...replayOptions, connection, taskQueue });
  const summary = (n: number): RunSummary => ({ runId: `run-${n}`, start: n, stop: n + 1, status: 'passed', keep: 100, validators: [{ name: 'v', status: 'passed', durationMs: n, exitCode: 0 }] });
  try {
    const firstRun = await worker.runUntil(async () => {
      let first: string | undefined;
      for (let n = 0; n <= signalsPerExecution; n++) {
        const h = await client.workflow.signalWithStart(suiteHistory, { taskQueue, workflowId, args: [emptyHistory('replay', 'default')], signal: recordRunSignal, signalArgs: [summary(n)] });
        first ??= h.signaledRunId;
      }
      await eventually(async () => ((await client.workflow.getHandle(workflowId, first).describe()).status.name === 'CONTINUED_AS_NEW' ? true : undefined), 'the first execution continued as new');
      return first!;
    });
    await replayAndRecord(workflowId, exportHistory(workflowId, firstRun));
  } finally {
    await client.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
    await client.connection.close();
    await connection.close();
  }
});
