// `verdict gc` on the real servers: a terminated run's Job, pod and RBAC go, an open run's stay,
// --dry-run deletes nothing, and an object recreated since it was listed is never deleted.
import { randomUUID } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { verdict } from '../harness/cli';
import { eventually } from '../harness/eventually';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { sim, suite } from '../harness/suites';
import { withVerdictWorker } from '../harness/verdict-worker';
import { makeClients } from '../../src/k8s/client';
import { managedBy, runIdAnnotation } from '../../src/core/labels';
import { describeObject } from '../../src/core/sweep-plan';
import { findOurs } from '../../src/sweep/find';
import { deleteFound } from '../../src/sweep/remove';
import { runSuite } from '../../src/workflows';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Objects labelled ours in the namespace (and its runs' ClusterRoleBindings), by run, not yet going. */
async function oursByRun(namespace: string): Promise<Record<string, string[]>> {
  const byRun: Record<string, string[]> = {};
  for (const o of (await findOurs(clients(), namespace)).objects) {
    if (o.terminating) continue;
    (byRun[o.annotations[runIdAnnotation]] ??= []).push(describeObject(o));
  }
  for (const list of Object.values(byRun)) list.sort();
  return byRun;
}

test("gc deletes a terminated run's Job, pod and RBAC with one line each, keeps an open run's; --dry-run deletes nothing", async () => {
  const namespace = testNamespace();
  const hang = suite('gc', namespace, [sim('forever', 'deployment', { hang: 'true' })]);
  await withVerdictWorker(async (taskQueue, client) => {
    const dead = await client.workflow.start(runSuite, { taskQueue, workflowId: `gc-dead-${randomUUID()}`, args: [{ suite: hang }] });
    const alive = await client.workflow.start(runSuite, { taskQueue, workflowId: `gc-alive-${randomUUID()}`, args: [{ suite: hang }] });
    await eventually(async () => ((await clients().core.listNamespacedPod({ namespace })).items.filter((p) => p.status?.phase === 'Running').length === 2 ? true : undefined), 'both runs’ pods to run');
    // Terminated: no cleanup runs, so its Job, pod, ServiceAccount and ClusterRoleBinding stay behind.
    await dead.terminate('leave everything behind');
    const before = await oursByRun(namespace);
    expect(before[dead.workflowId]).toEqual(expect.arrayContaining([expect.stringMatching(/^ClusterRoleBinding /), expect.stringMatching(/^Job /), expect.stringMatching(/^Pod /), expect.stringMatching(/^ServiceAccount /)]));
    const closed = `run ${escape(dead.workflowId)}( \\(execution [^)]+\\))? is closed \\(terminated\\)`;

    const dry = await verdict(['gc', '--dry-run', '--namespace', namespace]);
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    const wouldGo = before[dead.workflowId].map((o) => new RegExp(`^would delete ${escape(o)}: ${closed}$`, 'm'));
    for (const line of wouldGo) expect(dry.stdout).toMatch(line);
    expect(dry.stdout).not.toContain(alive.workflowId);
    expect(dry.stdout).toMatch(new RegExp(`^${before[dead.workflowId].length} to remove, ${before[alive.workflowId].length} kept \\(dry run: nothing deleted\\)$`, 'm'));
    expect(await oursByRun(namespace)).toEqual(before);

    const real = await verdict(['gc', '--namespace', namespace]);
    expect(real).toMatchObject({ code: 0, stderr: '' });
    for (const o of before[dead.workflowId]) expect(real.stdout).toMatch(new RegExp(`^(deleted|already gone) ${escape(o)}: ${closed}$`, 'm'));
    expect(real.stdout).not.toContain(alive.workflowId);
    await eventually(async () => {
      const now = await oursByRun(namespace);
      return now[dead.workflowId] === undefined ? now : undefined;
    }, 'the terminated run’s objects to be gone');
    expect((await oursByRun(namespace))[alive.workflowId]).toEqual(before[alive.workflowId]);

    // Once the other run is closed too, whatever its own cleanup left is gc's: nothing of ours remains.
    await alive.cancel();
    await alive.result();
    const after = await verdict(['gc', '--namespace', namespace]);
    expect(after.stdout).toMatch(/^\d+ removed, 0 kept$/m);
    expect(after.stdout).not.toContain(dead.workflowId);
    await eventually(async () => (Object.keys(await oursByRun(namespace)).length === 0 ? true : undefined), 'nothing of ours to remain');
  });
});

test('an object deleted and recreated since it was listed is left alone (uid precondition)', async () => {
  const namespace = testNamespace();
  const { core } = clients();
  const body = { metadata: { name: 'leftover', labels: { [managedBy.key]: managedBy.value }, annotations: { [runIdAnnotation]: `gone-${randomUUID()}` } } };
  await core.createNamespacedConfigMap({ namespace, body });
  const [listed] = (await findOurs(clients(), namespace)).objects;
  await core.deleteNamespacedConfigMap({ namespace, name: 'leftover' });
  const recreated = await core.createNamespacedConfigMap({ namespace, body });
  expect(await deleteFound(clients(), listed)).toBe('changed');
  expect((await core.readNamespacedConfigMap({ namespace, name: 'leftover' })).metadata?.uid).toBe(recreated.metadata?.uid);
  expect(await deleteFound(clients(), { ...listed, uid: recreated.metadata!.uid! })).toBe('deleted');
  expect(await deleteFound(clients(), { ...listed, uid: recreated.metadata!.uid! })).toBe('gone');
});

test('gc keeps what names no run and what Temporal should know but does not, and says why', async () => {
  const namespace = testNamespace();
  const { core } = clients();
  const unknown = `never-started-${randomUUID()}`;
  await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'anonymous', labels: { [managedBy.key]: managedBy.value } } } });
  await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'stranger', labels: { [managedBy.key]: managedBy.value }, annotations: { [runIdAnnotation]: unknown } } } });
  const out = await verdict(['gc', '--namespace', namespace]);
  expect(out.code).toBe(0);
  expect(out.stdout).toMatch(new RegExp(`^kept ConfigMap ${namespace}/anonymous: no ${runIdAnnotation} annotation`, 'm'));
  expect(out.stdout).toMatch(new RegExp(`^kept ConfigMap ${namespace}/stranger: run ${unknown} is unknown to Temporal, though the object is younger than the retention`, 'm'));
  await core.deleteCollectionNamespacedConfigMap({ namespace, labelSelector: `${managedBy.key}=${managedBy.value}` });
});

test('kinds the caller may not list are reported as not swept; the sweep itself does not fail', async () => {
  const namespace = testNamespace();
  const admin = clients();
  // An identity with no permissions at all.
  await admin.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'nobody' } } });
  const token = await admin.core.createNamespacedServiceAccountToken({ namespace, name: 'nobody', body: { spec: { audiences: [], expirationSeconds: 600 } } });
  const config = new KubeConfig();
  config.loadFromClusterAndUser(admin.config.getCurrentCluster()!, { name: 'nobody', token: token.status!.token });
  const found = await findOurs(makeClients(config), namespace);
  expect(found.objects).toEqual([]);
  expect(found.unlisted).toHaveLength(7);
  expect(found.unlisted).toContain(`Secrets (listing them in namespace ${namespace} is forbidden)`);
});
