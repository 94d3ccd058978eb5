// A run survives anything short of losing Temporal's database: a worker killed mid-wait, the
// Temporal server restarted, the Kubernetes API server gone for 20 seconds.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { withVerdictWorker } from '../harness/verdict-worker';
import { withClient } from '../harness/temporal';
import { kill, spawnWorker } from '../harness/worker-process';
import { recordJobCreations } from '../harness/job-creations';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { eventually } from '../harness/eventually';
import { sim, suite } from '../harness/suites';
import { restart } from '../../src/sandbox/sandbox';
import { runSuite, type RunOutput } from '../../src/workflows';

jest.setTimeout(300_000); // restarts and heartbeat timeouts take minutes, not seconds

const statuses = (out: RunOutput) => Object.fromEntries(out.report.results.tests.map((t) => [t.name, t.status]));

function slowSuite(namespace: string, seconds: number) {
  return suite('durable', namespace, [
    sim('slow-pass', 'deployment', { 'exit-code': '0', 'duration-seconds': String(seconds) }),
    sim('slow-fail', 'deployment', { 'exit-code': '1', 'duration-seconds': String(seconds), message: 'expected failure' }),
  ], { concurrency: 2 });
}

/** Waits until every validator's pod runs: the run is then inside its await activities. */
async function podsRunning(namespace: string, n: number): Promise<void> {
  await eventually(async () => ((await clients().core.listNamespacedPod({ namespace })).items.filter((p) => p.status?.phase === 'Running').length === n ? true : undefined), `${n} running pods`, 60_000);
}

/** The run's result, asking again while the server is coming back. */
async function resultOf(client: Client, workflowId: string): Promise<RunOutput> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.workflow.getHandle<typeof runSuite>(workflowId).result();
    } catch (err) {
      if (attempt >= 60) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

test('a worker killed with SIGKILL mid-wait: a new worker finishes the run, with one Job per validator', async () => {
  const namespace = testNamespace();
  const taskQueue = `crash-${randomUUID()}`;
  const workflowId = `crash-${randomUUID()}`;
  const recorder = await recordJobCreations(namespace);
  const first = await spawnWorker(taskQueue);
  try {
    await withClient((client) => client.workflow.start(runSuite, { taskQueue, workflowId, args: [{ suite: slowSuite(namespace, 8) }] }));
    await podsRunning(namespace, 2);
  } finally {
    await kill(first);
  }
  const out = await withVerdictWorker((_, client) => resultOf(client, workflowId), taskQueue);
  recorder.stop();
  expect(statuses(out)).toEqual({ 'slow-pass': 'passed', 'slow-fail': 'failed' });
  expect(recorder.counts()).toEqual({ 'slow-pass': 1, 'slow-fail': 1 });
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);
});

test('a worker stopped with SIGTERM mid-wait drains and exits 0; a new worker finishes the run, with one Job per validator', async () => {
  const namespace = testNamespace();
  const taskQueue = `drain-${randomUUID()}`;
  const workflowId = `drain-${randomUUID()}`;
  const recorder = await recordJobCreations(namespace);
  const first = await spawnWorker(taskQueue, ['--shutdown-grace-seconds', '3']);
  try {
    await withClient((client) => client.workflow.start(runSuite, { taskQueue, workflowId, args: [{ suite: slowSuite(namespace, 8) }] }));
    await podsRunning(namespace, 2);
  } finally {
    expect(await kill(first, 'SIGTERM')).toBe(0);
  }
  const out = await withVerdictWorker((_, client) => resultOf(client, workflowId), taskQueue);
  recorder.stop();
  expect(statuses(out)).toEqual({ 'slow-pass': 'passed', 'slow-fail': 'failed' });
  expect(recorder.counts()).toEqual({ 'slow-pass': 1, 'slow-fail': 1 });
});

test('the Temporal server restarted mid-run on the same database: the run completes', async () => {
  const namespace = testNamespace();
  const workflowId = `restart-${randomUUID()}`;
  const out = await withVerdictWorker(async (taskQueue, client) => {
    await client.workflow.start(runSuite, { taskQueue, workflowId, args: [{ suite: slowSuite(namespace, 6) }] });
    await podsRunning(namespace, 2);
    await restart('temporal');
    return withClient((fresh) => resultOf(fresh, workflowId));
  });
  expect(statuses(out)).toEqual({ 'slow-pass': 'passed', 'slow-fail': 'failed' });
});

test('the Kubernetes API server unreachable for 20 seconds mid-run: the run completes', async () => {
  const namespace = testNamespace();
  const workflowId = `apiserver-${randomUUID()}`;
  const out = await withVerdictWorker(async (taskQueue, client) => {
    await client.workflow.start(runSuite, { taskQueue, workflowId, args: [{ suite: slowSuite(namespace, 4) }] });
    await podsRunning(namespace, 2);
    await restart('kube-apiserver', { downtimeMs: 20_000 });
    return resultOf(client, workflowId);
  });
  expect(statuses(out)).toEqual({ 'slow-pass': 'passed', 'slow-fail': 'failed' });
});
