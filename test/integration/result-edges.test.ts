// Results are never lost at the edges of a run: cleanup or report storage that the API server
// refuses, setup that fails, a run ID started again, a run cancelled while it is being set up.
// The API server's refusals come from real ValidatingAdmissionPolicies.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import type { KubernetesObject } from '@kubernetes/client-node';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { eventually } from '../harness/eventually';
import { sim, suite } from '../harness/suites';
import { runSuite } from '../../src/workflows';
import { managedBySelector } from '../../src/core/labels';
import { maxRunIdLength, rootMessage } from '../../src/core/run';

const statusAttribute = { name: 'VerdictStatus', type: 'KEYWORD' } as never;

/**
 * A policy that refuses `operations` on `resource` (core group) in `namespace` for objects labelled
 * ours, until the returned function removes it. Waits until the API server enforces it.
 */
async function refuse(namespace: string, resource: string, operations: string[], extraCondition = 'true'): Promise<() => Promise<void>> {
  const name = `verdict-test-refuse-${randomUUID().slice(0, 8)}`;
  const subject = operations.includes('DELETE') ? 'oldObject' : 'object';
  const policy: KubernetesObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: [resource], operations }] },
      validations: [{ expression: `!(has(${subject}.metadata.labels) && '${'app.kubernetes.io/managed-by'}' in ${subject}.metadata.labels && (${extraCondition}))`, message: `refused by ${name}` }],
    },
  } as KubernetesObject;
  const binding: KubernetesObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName: name, validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } } },
  } as KubernetesObject;
  const { objects, core } = clients();
  await objects.create(policy);
  await objects.create(binding);
  // The API server enforces a new policy within a second or two: probe with a dry run until it does.
  const probe = { metadata: { name: `probe-${name}`, labels: { 'app.kubernetes.io/managed-by': 'verdict', 'app.kubernetes.io/component': 'report' } } };
  await eventually(async () => {
    try {
      if (resource === 'configmaps') await core.createNamespacedConfigMap({ namespace, body: probe, dryRun: 'All' });
      else await core.createNamespacedServiceAccount({ namespace, body: probe, dryRun: 'All' });
      if (operations.includes('DELETE')) return true; // deletes are probed by the run itself
      return undefined;
    } catch {
      return true;
    }
  }, `policy ${name} to be enforced`);
  if (operations.includes('DELETE')) await new Promise((r) => setTimeout(r, 2_000));
  return async () => {
    await objects.delete(binding);
    await objects.delete(policy);
  };
}

/** Deletes what the test made the run leave behind, once the policies are gone. */
async function removeLeftovers(namespace: string): Promise<void> {
  const { core, rbac } = clients();
  // A removed policy can be enforced for a moment longer: try until the deletes go through.
  await eventually(async () => {
    await core.deleteCollectionNamespacedServiceAccount({ namespace, labelSelector: managedBySelector });
    await core.deleteCollectionNamespacedConfigMap({ namespace, labelSelector: managedBySelector });
    await rbac.deleteCollectionClusterRoleBinding({ labelSelector: `${managedBySelector},verdict.dev/namespace=${namespace}` });
    return true;
  }, 'the leftovers to be deleted');
}

test('a cleanup and a report store that the API server refuses are named in the report, which is still returned with a final status', async () => {
  const namespace = testNamespace();
  const allowDeletes = await refuse(namespace, 'serviceaccounts', ['DELETE']);
  const allowReports = await refuse(namespace, 'configmaps', ['CREATE'], `'app.kubernetes.io/component' in object.metadata.labels && object.metadata.labels['app.kubernetes.io/component'] == 'report'`);
  try {
    const s = suite('edges', namespace, [sim('passes', 'deployment', { 'exit-code': '0', stdout: 'fine' })], { report: { configMap: true } });
    const { out, status } = await withVerdictWorker(async (taskQueue, client) => {
      const handle = await client.workflow.start(runSuite, { taskQueue, workflowId: `edges-${randomUUID()}`, args: [{ suite: s }] });
      const out = await handle.result();
      return { out, status: (await handle.describe()).typedSearchAttributes.get(statusAttribute) };
    });
    expect(out.status).toBe('passed');
    expect(out.report.results.tests).toEqual([expect.objectContaining({ name: 'passes', status: 'passed', stdout: ['fine'] })]);
    const problems = out.report.results.extra?.problems as string[];
    expect(problems).toEqual([
      expect.stringMatching(/^cleanup failed \(verdict gc removes what is left once the run is closed\): deleting ServiceAccount verdict-[0-9a-f]{16}-view in namespace .*refused by verdict-test-refuse-/),
      expect.stringMatching(/^the report could not be stored in a ConfigMap: creating ConfigMap verdict-[0-9a-f]{16}-report in namespace .*refused by verdict-test-refuse-/),
    ]);
    expect(status).toBe('passed');
  } finally {
    await allowDeletes();
    await allowReports();
    await removeLeftovers(namespace);
  }
});

test('a setup the API server refuses fails the run with its own words, and a cleanup failure after it is added, not swapped in', async () => {
  const namespace = testNamespace();
  const allowDeletes = await refuse(namespace, 'serviceaccounts', ['DELETE']);
  const allowInputs = await refuse(namespace, 'configmaps', ['CREATE']);
  try {
    const s = suite('setup-fails', namespace, [sim('never-runs', 'deployment', { 'exit-code': '0' })], { inputs: { 'a.txt': 'a' } });
    const { err, status } = await withVerdictWorker(async (taskQueue, client) => {
      const handle = await client.workflow.start(runSuite, { taskQueue, workflowId: `setup-fails-${randomUUID()}`, args: [{ suite: s }] });
      const err = await handle.result().then(() => undefined, (e: unknown) => e);
      return { err, status: (await handle.describe()).typedSearchAttributes.get(statusAttribute) };
    });
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const message = (err as WorkflowFailedError).cause?.message ?? '';
    expect(message).toMatch(/^creating ConfigMap verdict-[0-9a-f]{16}-inputs in namespace .*refused by verdict-test-refuse-/);
    expect(message).toMatch(/\ncleanup failed .*deleting ServiceAccount .*refused by verdict-test-refuse-/);
    expect(rootMessage(err)).toMatch(/^creating ConfigMap .*refused/);
    expect(status).toBe('failed');
    expect((await clients().batch.listNamespacedJob({ namespace })).items).toEqual([]);
  } finally {
    await allowDeletes();
    await allowInputs();
    await removeLeftovers(namespace);
  }
});

test("a run ID started again never adopts the earlier run's Job, even one it kept", async () => {
  const namespace = testNamespace();
  const workflowId = `again-${randomUUID()}`;
  const first = suite('again', namespace, [sim('check', 'deployment', { 'exit-code': '1', message: 'first run' })], { keepResources: true });
  const second = suite('again', namespace, [sim('check', 'deployment', { 'exit-code': '1', message: 'first run' })]);
  const [a, b] = await withVerdictWorker(async (taskQueue, client) => {
    const a = await client.workflow.execute(runSuite, { taskQueue, workflowId, args: [{ suite: first }] });
    // The same spec again: before, the kept Job was adopted and its old result reported.
    const kept = (await clients().batch.listNamespacedJob({ namespace })).items;
    expect(kept).toHaveLength(1);
    await clients().batch.patchNamespacedJob({ namespace, name: kept[0].metadata!.name!, body: [{ op: 'add', path: '/metadata/labels/verdict.dev~1kept', value: 'first' }] });
    const b = await client.workflow.execute(runSuite, { taskQueue, workflowId, args: [{ suite: second }] });
    return [a, b];
  });
  expect(a.report.results.tests[0]).toMatchObject({ status: 'failed', message: 'first run' });
  expect(b.report.results.tests[0]).toMatchObject({ status: 'failed', message: 'first run' });
  expect(b.report.results.tests[0].extra?.jobName).not.toBe(a.report.results.tests[0].extra?.jobName);
  // The second run made and deleted its own Job; the first run's kept Job is untouched.
  const left = (await clients().batch.listNamespacedJob({ namespace })).items;
  expect(left.map((j) => [j.metadata?.name, j.metadata?.labels?.['verdict.dev/kept']])).toEqual([[a.report.results.tests[0].extra?.jobName, 'first']]);
  await clients().batch.deleteNamespacedJob({ namespace, name: left[0].metadata!.name!, propagationPolicy: 'Background' });
});

test('a run cancelled while it is being set up leaves nothing behind, however early', async () => {
  const namespace = testNamespace();
  const s = suite('cancel-early', namespace, [sim('a', 'deployment', { 'exit-code': '0' })], { inputs: { 'a.txt': 'a' } });
  const outs = await withVerdictWorker((taskQueue, client) =>
    Promise.all(
      [0, 150, 400, 800].map(async (delayMs) => {
        const handle = await client.workflow.start(runSuite, { taskQueue, workflowId: `cancel-early-${delayMs}-${randomUUID()}`, args: [{ suite: s }] });
        await new Promise((r) => setTimeout(r, delayMs));
        await handle.cancel();
        return handle.result();
      }),
    ),
  );
  for (const out of outs) expect(out.status).toBe('cancelled');
  // The harness's leak check then proves no Job, ServiceAccount, binding, ConfigMap or Secret remains.
});

test('long and odd run IDs: every object is still named validly and found again; a run ID too long for its validators is refused before anything is created', async () => {
  const namespace = testNamespace();
  const prefix = 'nightly/ünïcode run #1 — 🚀 ';
  const odd = prefix + 'x'.repeat(maxRunIdLength - prefix.length);
  const s = suite('odd-ids', namespace, [sim('passes', 'deployment', { 'exit-code': '0', stdout: 'ok' })], { inputs: { 'a.txt': 'a' } });
  const [out, refused] = await withVerdictWorker(async (taskQueue, client) => [
    await client.workflow.execute(runSuite, { taskQueue, workflowId: odd, args: [{ suite: s }] }),
    await client.workflow.execute(runSuite, { taskQueue, workflowId: `${odd}-too-long`, args: [{ suite: s }] }).then(() => undefined, (e: unknown) => e),
  ]);
  expect(out.report.results.tests[0]).toMatchObject({ status: 'passed', stdout: ['ok'] });
  expect(out.report.results.extra).toMatchObject({ runId: odd, problems: [] });
  expect(rootMessage(refused)).toBe(`invalid run input:\nthe run ID (workflow ID) is ${odd.length + 9} characters long; a run's ID must be at most ${maxRunIdLength}, so its validators' IDs fit Temporal's limit: choose a shorter one`);
});

test('expectedTests sees the whole log: a test that passed long before the kept tail still counts', async () => {
  const namespace = testNamespace();
  const line = (o: object) => JSON.stringify(o);
  const log = [
    line({ Action: 'run', Test: 'TestEarly' }),
    line({ Action: 'pass', Test: 'TestEarly', Elapsed: 0.1 }),
    ...Array.from({ length: 1500 }, (_, i) => line({ Action: 'output', Test: 'TestLate', Output: `step ${i}\n` })),
    line({ Action: 'pass', Test: 'TestLate', Elapsed: 2 }),
  ].join('\n');
  const s = suite('long-log', namespace, [sim('go-tests', 'conformance', { 'exit-code': '0', stdout: log }, { expectedTests: ['TestEarly', 'TestLate'] })]);
  const out = await withVerdictWorker((taskQueue, client) => client.workflow.execute(runSuite, { taskQueue, workflowId: `long-log-${randomUUID()}`, args: [{ suite: s }] }));
  const [t] = out.report.results.tests;
  expect(t).toMatchObject({ status: 'passed', extra: { exitCode: 0 } });
  // The report keeps the newest 1,000 lines, but every result was read.
  expect(t.stdout).toHaveLength(1000);
  expect(t.extra?.tests?.map((x) => [x.name, x.status])).toEqual([['TestEarly', 'passed'], ['TestLate', 'passed']]);
});
