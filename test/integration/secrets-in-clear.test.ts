// A run whose secret-marked values reached Temporal unencrypted is refused, whoever started it: here
// the `temporal` CLI, which has neither Verdict's checks nor its codec. The workflow fails at once,
// non-retryably (SecretInClear), naming each field and saying the value must be rotated; nothing is
// scheduled, nothing is created in the cluster, and the value never reaches the workflow.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { connect } from '../../src/client';
import { AesGcmCodec, keyRing } from '../../src/codec';
import { failureTypes } from '../../src/core/failures';
import { managedBySelector } from '../../src/core/labels';
import { binaryPath } from '../../src/sandbox/binaries';
import { createVerdictWorker } from '../../worker/worker';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { withClient } from '../harness/temporal';

const address = () => process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const codec = new AesGcmCodec(keyRing([{ source: 'test', id: 'k1', key: randomBytes(32).toString('base64') }]));
const run = promisify(execFile);
const { EventType } = temporal.api.enums.v1;

/** `temporal workflow start` with the input as JSON, as a script or the Web UI would. */
async function startWithTemporalCli(taskQueue: string, workflowId: string, input: unknown): Promise<void> {
  await run(binaryPath('temporal'), ['workflow', 'start', '--address', address(), '--task-queue', taskQueue, '--type', 'runSuite', '--workflow-id', workflowId, '--input', JSON.stringify(input)]);
}

async function failureOf(client: Client, workflowId: string): Promise<ApplicationFailure> {
  const err = await client.workflow.getHandle(workflowId).result().then(
    () => undefined,
    (e: unknown) => e,
  );
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  if (!(cause instanceof ApplicationFailure)) throw new Error(`expected the run to fail with an ApplicationFailure, got ${String(err)}`);
  return cause;
}

test.each([
  ['with the codec', true],
  ['without a codec', false],
])('a worker %s refuses a run whose secret value arrived in clear, names the fields, creates nothing', async (_, keyed) => {
  const secret = `MARKER-SECRET-${randomUUID()}`;
  const input = {
    suite: suite('in-clear', testNamespace(), [
      sim('uses-it', 'deployment', { 'exit-code': '0' }, { env: [{ name: 'NOTE', value: 'x' }, { name: 'DB_PASSWORD', value: secret, secret: true }] }),
      sim('also', 'conformance', { 'exit-code': '0' }, { env: [{ name: 'API_TOKEN', value: secret, secret: true }] }),
    ]),
  };
  const taskQueue = `verdict-in-clear-${randomUUID()}`;
  const workflowId = `in-clear-${randomUUID()}`;
  const vw = await createVerdictWorker({ temporalAddress: address(), taskQueue, kubeconfig: process.env.KUBECONFIG, shutdownGraceTimeMs: 5_000, ...(keyed ? { codec } : {}) });
  // A client that can read what this worker writes (with a codec, the failure's message is encrypted).
  const reader = keyed ? await connect({ address: address(), codec }) : undefined;
  let failure: ApplicationFailure;
  try {
    await startWithTemporalCli(taskQueue, workflowId, input);
    failure = await vw.worker.runUntil(reader ? failureOf(reader, workflowId) : withClient((c) => failureOf(c, workflowId)));
  } finally {
    vw.watches.stop();
    await reader?.connection.close();
  }

  expect(failure.type).toBe(failureTypes.secretInClear);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain('suite.validators.0.env.1 (DB_PASSWORD), suite.validators.1.env.0 (API_TOKEN): marked secret');
  expect(failure.message).toContain('now stored in Temporal history in clear: rotate it');
  expect(failure.message).not.toContain(secret);

  await withClient(async (clear) => {
    const history = await clear.workflow.getHandle(workflowId).fetchHistory();
    const types = (history.events ?? []).map((e) => e.eventType);
    // Failed on its first task: no activity, child workflow or timer was ever scheduled.
    expect(types).toContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
    expect(types.filter((t) => t === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED || t === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED || t === EventType.EVENT_TYPE_TIMER_STARTED)).toEqual([]);
    // Only the started event (the input as the CLI sent it) holds the value: that is why it must be rotated.
    const holding = (history.events ?? []).filter((e) => Buffer.from(temporal.api.history.v1.HistoryEvent.encode(e).finish()).includes(secret));
    expect(holding.map((e) => e.eventType)).toEqual([EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED]);
  });

  const c = clients();
  const ns = testNamespace();
  const ours = { namespace: ns, labelSelector: managedBySelector };
  const found = [
    ...(await c.core.listNamespacedSecret(ours)).items,
    ...(await c.core.listNamespacedServiceAccount(ours)).items,
    ...(await c.core.listNamespacedConfigMap(ours)).items,
    ...(await c.batch.listNamespacedJob(ours)).items,
  ];
  expect(found.map((o) => o.metadata?.name)).toEqual([]);
});
