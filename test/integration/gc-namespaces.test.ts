// Namespaces on the real API server: Verdict never writes to one it did not create (a Helm-managed
// one runs fine and is byte-for-byte unchanged), marks the ones it creates, and the sweeper removes
// those only when no run uses them and they hold nothing else.
import { randomUUID } from 'node:crypto';
import { PatchStrategy, type V1Namespace } from '@kubernetes/client-node';
import type { Client } from '@temporalio/client';
import { activityKit, inActivity } from '../harness/activities';
import { clients } from '../harness/k8s';
import { marksOf } from '../harness/leftovers';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { withVerdictWorker } from '../harness/verdict-worker';
import { fieldManager } from '../../src/k8s/apply';
import { executionAnnotation, managedBy, runIdAnnotation } from '../../src/core/labels';
import { createdByAnnotation, ensuredAtAnnotation } from '../../src/core/namespaces';
import { sweep } from '../../src/sweep/sweep';
import { runSuite } from '../../src/workflows';

const { acts, watches } = activityKit();
afterAll(() => watches.stop());

const applyAs = (manager: string, body: V1Namespace) => clients().objects.patch(body, undefined, undefined, manager, true, PatchStrategy.ServerSideApply);

/** What a write would change: labels, annotations, and who owns which fields. */
async function snapshot(name: string) {
  const ns = await clients().core.readNamespace({ name });
  const owners = (ns.metadata?.managedFields ?? []).map((f) => ({ manager: f.manager, operation: f.operation, fields: JSON.stringify(f.fieldsV1) }));
  return { labels: ns.metadata?.labels, annotations: ns.metadata?.annotations, owners, resourceVersion: ns.metadata?.resourceVersion };
}

/** A run that closed at once (its input is invalid): an identity Temporal knows as closed. */
async function closedRun(client: Client, taskQueue: string) {
  const handle = await client.workflow.start(runSuite, { taskQueue, workflowId: `gc-closed-${randomUUID()}`, args: [{ suite: { name: 'x' } } as never] });
  await handle.result().catch(() => undefined);
  return { runId: handle.workflowId, execution: handle.firstExecutionRunId };
}

test('a namespace Helm manages runs a suite and is left exactly as it was: labels, annotations, field owners, resourceVersion', async () => {
  const namespace = testNamespace();
  await applyAs('helm', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace, labels: { [managedBy.key]: 'Helm' }, annotations: { 'meta.helm.sh/release-name': 'checks', 'meta.helm.sh/release-namespace': 'default' } },
  });
  const before = await snapshot(namespace);
  const out = await withVerdictWorker((taskQueue, client) =>
    client.workflow.execute(runSuite, { taskQueue, workflowId: `helm-${randomUUID()}`, args: [{ suite: suite('helm', namespace, [sim('ok', 'deployment', { 'exit-code': '0' })]) }] }),
  );
  expect(out.status).toBe('passed');
  expect(await snapshot(namespace)).toEqual(before);
  expect(before.labels?.[managedBy.key]).toBe('Helm');
});

test('ensureNamespace creates a missing namespace marked with the run, records each later run, and never writes to a foreign one', async () => {
  const foreign = testNamespace();
  const made = `${foreign}-made`;
  const first = { namespace: made, runId: `first-${randomUUID()}`, execution: randomUUID() };
  expect(await inActivity(acts.ensureNamespace, first)).toEqual({ createdByVerdict: true });
  const created = await clients().core.readNamespace({ name: made });
  expect(created.metadata?.labels).toMatchObject({ [managedBy.key]: managedBy.value, 'app.kubernetes.io/part-of': 'verdict' });
  expect(created.metadata?.annotations).toMatchObject({ [createdByAnnotation]: 'true', [runIdAnnotation]: first.runId, [executionAnnotation]: first.execution });
  // A later run finds it: Verdict's own, now marked with that run (what keeps the sweeper off it).
  const second = { namespace: made, runId: `second-${randomUUID()}`, execution: randomUUID() };
  expect(await inActivity(acts.ensureNamespace, second)).toEqual({ createdByVerdict: true });
  const refreshed = (await clients().core.readNamespace({ name: made })).metadata?.annotations ?? {};
  expect(refreshed).toMatchObject({ [runIdAnnotation]: second.runId, [executionAnnotation]: second.execution });
  expect(Date.parse(refreshed[ensuredAtAnnotation])).toBeGreaterThanOrEqual(Date.parse(created.metadata!.annotations![ensuredAtAnnotation]));
  // The harness made the test namespace: not a single write.
  const before = await snapshot(foreign);
  expect(await inActivity(acts.ensureNamespace, { ...second, namespace: foreign })).toEqual({ createdByVerdict: false });
  expect(await snapshot(foreign)).toEqual(before);
  await clients().core.deleteNamespace({ name: made });
});

test('gc --namespaces removes a namespace Verdict created only after the grace, once its last run is closed and it holds nothing else', async () => {
  const made = `${testNamespace()}-swept`;
  await withVerdictWorker(async (taskQueue, client) => {
    const run = await closedRun(client, taskQueue);
    expect(await inActivity(acts.ensureNamespace, { namespace: made, ...run })).toEqual({ createdByVerdict: true });
    const outcome = async (graceMs = 0) => {
      const o = (await sweep(clients(), client, { namespace: made, namespaces: true, namespaceGraceMs: graceMs })).outcomes.find((x) => x.decision.object.kind === 'Namespace');
      return `${o?.result}: ${o?.decision.why}`;
    };
    // Just ensured: within the grace period, whatever its run's state.
    expect(await outcome(60_000)).toMatch(/^kept: a run ensured it \d+s ago: within the grace period$/);
    // Someone keeps a Secret there (one a suite references, say): the namespace is theirs too.
    await clients().core.createNamespacedSecret({ namespace: made, body: { metadata: { name: 'db' }, stringData: { token: 'x' } } });
    expect(await outcome()).toBe("kept: it holds objects that are not Verdict's: Secret/db");
    expect((await sweep(clients(), client, { namespace: made, namespaces: false })).outcomes.map((o) => o.result)).toEqual(['kept']);
    await clients().core.deleteNamespacedSecret({ namespace: made, name: 'db' });
    expect(await outcome()).toBe(`deleted: run ${run.runId} (execution ${run.execution}) is closed (failed); it holds nothing that stays`);
  });
  const gone = await clients().core.readNamespace({ name: made }).catch(() => undefined);
  expect(gone === undefined || Boolean(gone.metadata?.deletionTimestamp)).toBe(true);
});

test("the leak check sees a mark of ours on an existing namespace, and gc gives back exactly the fields an older Verdict took", async () => {
  const namespace = testNamespace();
  await applyAs('helm', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { team: 'checks' } } });
  const before = await snapshot(namespace);
  // What ensureNamespace used to do to any existing namespace.
  await applyAs(fieldManager, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { [managedBy.key]: managedBy.value } } });
  expect(marksOf(await clients().core.readNamespace({ name: namespace }))).toEqual([
    `Namespace/${namespace}: label ${managedBy.key}=${managedBy.value}`,
    `Namespace/${namespace}: fields managed by ${fieldManager} (Apply)`,
  ]);
  const { outcomes } = await withVerdictWorker((_, client) => sweep(clients(), client, { namespace }));
  expect(outcomes.map((o) => o.result)).toEqual(['unlabelled']);
  expect(marksOf(await clients().core.readNamespace({ name: namespace }))).toEqual([]);
  const after = await snapshot(namespace);
  expect({ ...after, resourceVersion: undefined }).toEqual({ ...before, resourceVersion: undefined });
});
