// Whole runs: the run workflow, its validator child workflows and the activities, on the real
// Temporal dev server and the sandbox cluster.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { ctrfProblems } from '../fixtures/ctrf-schema';
import { progressQuery, runSuite } from '../../src/workflows';
import type { Phase, SuiteInput } from '../../src/core/spec';
import { reportConfigMapName } from '../../src/core/names';

const sim = (a: Record<string, string>) => ({ podAnnotations: Object.fromEntries(Object.entries(a).map(([k, v]) => [`sandbox.verdict.dev/${k}`, v])) });
const validator = (name: string, phase: Phase, annotations: Record<string, string>) => ({ name, phase, image: 'example.com/check:1', ...sim(annotations) });

test('a suite runs phase by phase: statuses, failFast skipping, a valid CTRF report, search attributes', async () => {
  const namespace = testNamespace();
  const suite: SuiteInput = {
    name: 'smoke',
    namespace,
    concurrency: 3,
    inputs: { 'snapshot.yaml': 'nodes: 3\n' },
    report: { configMap: true },
    validators: [
      validator('ready', 'readiness', { 'exit-code': '0' }),
      validator('passes', 'deployment', { 'exit-code': '0', stdout: 'all good' }),
      validator('fails', 'deployment', { 'exit-code': '1', message: 'driver missing', 'duration-seconds': '1' }),
      validator('skips', 'deployment', { 'exit-code': '2' }),
      validator('later', 'performance', { 'exit-code': '0' }),
    ],
  };
  const workflowId = `run-${randomUUID()}`;
  const { output, progress, attributes, execution } = await withVerdictWorker(async (taskQueue, client) => {
    const handle = await client.workflow.start(runSuite, { taskQueue, workflowId, args: [{ suite }] });
    const output = await handle.result();
    const progress = await handle.query(progressQuery);
    const attributes = (await handle.describe()).typedSearchAttributes;
    return { output, progress, attributes, execution: handle.firstExecutionRunId };
  });

  expect(output.status).toBe('failed');
  const byName = Object.fromEntries(output.report.results.tests.map((t) => [t.name, t]));
  expect(byName.ready).toMatchObject({ status: 'passed', suite: ['readiness'] });
  expect(byName.passes).toMatchObject({ status: 'passed', stdout: ['all good'] });
  expect(byName.fails).toMatchObject({ status: 'failed', message: 'driver missing', extra: { exitCode: 1 } });
  expect(byName.skips).toMatchObject({ status: 'skipped', extra: { exitCode: 2 } });
  expect(byName.later).toMatchObject({ status: 'skipped', message: 'skipped: phase "deployment" failed and the suite has failFast' });
  expect(output.report.results.summary).toMatchObject({ tests: 5, passed: 2, failed: 1, skipped: 2, other: 0 });
  expect(ctrfProblems(output.report)).toEqual([]);

  expect(progress.status).toBe('failed');
  expect(progress.validators.find((v) => v.name === 'fails')).toMatchObject({ state: 'failed', message: 'driver missing' });
  expect(attributes.get({ name: 'VerdictStatus', type: 'KEYWORD' } as never)).toBe('failed');
  expect(attributes.get({ name: 'VerdictSuite', type: 'KEYWORD' } as never)).toBe('smoke');

  // The report was kept in a ConfigMap, as the suite asked.
  const stored = await clients().core.readNamespacedConfigMap({ namespace, name: reportConfigMapName({ runId: workflowId, execution }) });
  expect(JSON.parse(stored.data!['report.json'])).toEqual(output.report);
  await clients().core.deleteNamespacedConfigMap({ namespace, name: reportConfigMapName({ runId: workflowId, execution }) });

  // Everything else the run created is gone: Jobs, per-run RBAC, inputs (the leak check verifies too).
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toHaveLength(0);
});

test('an invalid suite fails the run at once, non-retryably, naming every bad field; nothing is created', async () => {
  const namespace = testNamespace();
  const bad = { suite: { name: 'Bad Name', namespace, validators: [{ name: 'x', phase: 'smoke', image: '' }] } };
  const failure = await withVerdictWorker((taskQueue, client) =>
    client.workflow.execute(runSuite, { taskQueue, workflowId: `run-${randomUUID()}`, args: [bad as never] }).catch((e: unknown) => e),
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const cause = (failure as WorkflowFailedError).cause as Error & { type?: string; nonRetryable?: boolean };
  expect(cause).toMatchObject({ type: 'InvalidSuite', nonRetryable: true });
  expect(cause.message).toContain('suite.name: must be a DNS label');
  expect(cause.message).toContain('suite.validators.0.phase');
  expect(cause.message).toContain('suite.validators.0.image: the image must be an image reference');
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toHaveLength(0);
});
