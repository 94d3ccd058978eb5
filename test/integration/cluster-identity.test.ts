// A run reaches only workers of the cluster it names: the client puts it on that cluster's task
// queue, and its activities and validators carry the cluster, so a worker of another cluster that
// picks one up (two clusters' workers on one queue, a misconfiguration) refuses it, non-retryably,
// before anything is created. The refused run is started with the `temporal` CLI, without
// Verdict's client: the workers' own check is what is tested.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { startRun } from '../../src/client';
import { clusterHeader } from '../../src/core/cluster';
import { failureTypes } from '../../src/core/failures';
import { managedBySelector } from '../../src/core/labels';
import { sandboxPolicy } from '../../src/core/policy';
import { binaryPath } from '../../src/sandbox/binaries';
import { searchAttributeKeys } from '../../temporal-config/search-attributes';
import { createVerdictWorker, type VerdictWorker } from '../../worker/worker';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { withClient } from '../harness/temporal';

const address = () => process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const { EventType } = temporal.api.enums.v1;

/** A worker of `cluster`, on its own task queue unless `taskQueue` says, for the duration of `fn`. */
async function withClusterWorker<T>(cluster: string, fn: (vw: VerdictWorker, client: Client) => Promise<T>, taskQueue?: string): Promise<T> {
  const vw = await createVerdictWorker({ temporalAddress: address(), cluster, taskQueue, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 5_000, policy: sandboxPolicy });
  try {
    return await withClient((client) => vw.worker.runUntil(fn(vw, client)));
  } finally {
    vw.watches.stop();
  }
}

/** The cluster each scheduled activity of a workflow carried in its header (undefined: none). */
async function activityClusters(client: Client, workflowId: string): Promise<(string | undefined)[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
    .map((e) => {
      const header = e.activityTaskScheduledEventAttributes?.header?.fields?.[clusterHeader];
      return header ? defaultPayloadConverter.fromPayload<string>(header) : undefined;
    });
}

test("a run on a named cluster goes to that cluster's task queue, and every activity of it and of its validators carries the cluster", async () => {
  const cluster = `blue-${randomBytes(3).toString('hex')}`;
  const namespace = testNamespace();
  await withClusterWorker(cluster, async (vw, client) => {
    const handle = await startRun(client, { suite: suite('on-blue', namespace, [sim('ok', 'readiness', { 'exit-code': '0' })]), cluster });
    const out = await handle.result();
    expect(out.status).toBe('passed');
    expect(out.report.results.extra).toMatchObject({ cluster });
    expect(vw.worker.options.taskQueue).toBe(`verdict-${cluster}`);
    expect((await handle.describe()).taskQueue).toBe(`verdict-${cluster}`);
    const own = await activityClusters(client, handle.workflowId);
    const validator = await activityClusters(client, `${handle.workflowId}/ok`);
    expect(own.length).toBeGreaterThan(0);
    expect(validator.length).toBeGreaterThan(0);
    expect(new Set([...own, ...validator])).toEqual(new Set([cluster]));
  });
});

test("a worker of another cluster refuses the run's first activity: the run fails WrongCluster, its status says failed, nothing is created", async () => {
  const namespace = testNamespace();
  const taskQueue = `verdict-shared-${randomBytes(4).toString('hex')}`;
  const workflowId = `wrong-cluster-${randomBytes(4).toString('hex')}`;
  const input = { suite: suite('for-blue', namespace, [sim('ok', 'readiness', { 'exit-code': '0' })]), cluster: 'blue' };
  const failure = await withClusterWorker(
    'green',
    async (_, client) => {
      await promisify(execFile)(binaryPath('temporal'), ['workflow', 'start', '--address', address(), '--task-queue', taskQueue, '--type', 'runSuite', '--workflow-id', workflowId, '--input', JSON.stringify(input)]);
      const err: unknown = await client.workflow.getHandle(workflowId).result().then(() => undefined, (e: unknown) => e);
      let cause = (err as { cause?: unknown } | undefined)?.cause;
      while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as { cause?: unknown }).cause;
      if (!(cause instanceof ApplicationFailure)) throw new Error(`expected the run to fail with an ApplicationFailure, got ${String(err)}`);
      return cause;
    },
    taskQueue,
  );
  expect(failure.type).toBe(failureTypes.wrongCluster);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toBe(
    'this activity belongs to a run on cluster "blue", and this worker serves cluster "green": start the run on task queue verdict-blue, where cluster "blue"\'s workers poll, and give each task queue workers of one cluster (verdict worker --cluster)',
  );
  await withClient(async (client) => {
    const described = await client.workflow.getHandle(workflowId).describe();
    expect(described.searchAttributes[searchAttributeKeys.status.name]).toEqual(['failed']);
    // The policy check was the only activity, tried once; no validator was started.
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = (history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual(['checkRunPolicy']);
    expect((history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)).toEqual([]);
  });
  const c = clients();
  const [jobs, accounts, roleBindings] = await Promise.all([
    c.batch.listNamespacedJob({ namespace, labelSelector: managedBySelector }),
    c.core.listNamespacedServiceAccount({ namespace, labelSelector: managedBySelector }),
    c.rbac.listNamespacedRoleBinding({ namespace, labelSelector: managedBySelector }),
  ]);
  expect([...jobs.items, ...accounts.items, ...roleBindings.items]).toEqual([]);
});
