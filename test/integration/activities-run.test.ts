// The run-level activities: namespace, per-run RBAC and inputs, cleanup, permission check.
import { KubeConfig } from '@kubernetes/client-node';
import { activityKit, inActivity } from '../harness/activities';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { createActivities } from '../../src/activities';
import { makeClients } from '../../src/k8s/client';
import { JobWatches } from '../../src/k8s/job-watch';
import { createdByAnnotation } from '../../src/activities/namespace';
import { runKey } from '../../src/core/names';

const { acts, watches } = activityKit();
afterAll(() => watches.stop());

const ours = (runId: string) => `app.kubernetes.io/managed-by=verdict,verdict.dev/run=${runKey(runId)}`;

test('ensureNamespace creates and marks a namespace, and only labels one it did not create', async () => {
  const { core } = clients();
  const fresh = `${testNamespace()}-fresh`;
  expect(await inActivity(acts.ensureNamespace, { namespace: fresh })).toEqual({ createdByVerdict: true });
  expect(await inActivity(acts.ensureNamespace, { namespace: fresh })).toEqual({ createdByVerdict: true });
  const created = await core.readNamespace({ name: fresh });
  expect(created.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('verdict');
  await core.deleteNamespace({ name: fresh });

  const existing = testNamespace();
  expect(await inActivity(acts.ensureNamespace, { namespace: existing })).toEqual({ createdByVerdict: false });
  const labelled = await core.readNamespace({ name: existing });
  expect(labelled.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'verdict', 'verdict.dev/test': 'true' });
  expect(labelled.metadata?.annotations?.[createdByAnnotation]).toBeUndefined();
});

test('per-run RBAC: applied twice, one object each; two runs never share or delete each other’s', async () => {
  const namespace = testNamespace();
  const { core, rbac } = clients();
  const a = { runId: 'nightly-a', namespace, clusterRoles: ['view', 'view', 'system:aggregate-to-view'], inputs: {} };
  const b = { runId: 'nightly-b', namespace, clusterRoles: ['view'], inputs: {} };

  const accounts = await inActivity(acts.ensureRunRbac, a);
  expect(await inActivity(acts.ensureRunRbac, a)).toEqual(accounts);
  await inActivity(acts.ensureRunRbac, b);
  expect((await core.listNamespacedServiceAccount({ namespace, labelSelector: ours(a.runId) })).items).toHaveLength(2);
  const bindings = await rbac.listClusterRoleBinding({ labelSelector: ours(a.runId) });
  expect(bindings.items.map((x) => x.roleRef.name).sort()).toEqual(['system:aggregate-to-view', 'view']);
  const viewBinding = bindings.items.find((x) => x.roleRef.name === 'view')!;
  expect(viewBinding.subjects).toEqual([{ kind: 'ServiceAccount', name: accounts.view, namespace }]);

  await inActivity(acts.cleanupRunResources, a);
  await inActivity(acts.cleanupRunResources, a); // NotFound is done
  expect((await core.listNamespacedServiceAccount({ namespace, labelSelector: ours(a.runId) })).items).toHaveLength(0);
  expect((await rbac.listClusterRoleBinding({ labelSelector: ours(a.runId) })).items).toHaveLength(0);
  expect((await rbac.listClusterRoleBinding({ labelSelector: ours(b.runId) })).items).toHaveLength(1);
  await inActivity(acts.cleanupRunResources, b);
});

test('inputs: one immutable ConfigMap per run; over 1 MiB is refused and creates nothing', async () => {
  const namespace = testNamespace();
  const { core } = clients();
  const run = { runId: 'with-inputs', namespace, clusterRoles: [], inputs: { 'snapshot.yaml': 'nodes: 3\n', 'recipe.yaml': 'gpu: true\n' } };
  const made = await inActivity(acts.ensureInputs, run);
  expect(await inActivity(acts.ensureInputs, run)).toEqual(made);
  expect(made?.files).toEqual(['recipe.yaml', 'snapshot.yaml']);
  const cm = await core.readNamespacedConfigMap({ namespace, name: made!.configMap });
  expect(cm.data).toEqual(run.inputs);
  expect(await inActivity(acts.ensureInputs, { ...run, inputs: {} })).toBeUndefined();

  const big = { ...run, runId: 'too-big', inputs: { 'a.yaml': 'x'.repeat(700_000), 'b.yaml': 'y'.repeat(400_000) } };
  await expect(inActivity(acts.ensureInputs, big)).rejects.toMatchObject({ nonRetryable: true, type: 'BadInput', message: expect.stringContaining('must fit in 1048576 bytes (1 MiB)') as string });
  expect((await core.listNamespacedConfigMap({ namespace, labelSelector: ours('too-big') })).items).toHaveLength(0);
  await inActivity(acts.cleanupRunResources, run);
  expect((await core.listNamespacedConfigMap({ namespace, labelSelector: ours(run.runId) })).items).toHaveLength(0);
});

test('the permission check passes for an admin and lists everything a view-only identity lacks', async () => {
  const namespace = testNamespace();
  expect((await inActivity(acts.checkPermissions, { namespace, clusterRoles: ['view'] })).checked).toBeGreaterThan(20);

  // A real limited identity: a ServiceAccount bound to `view` in this namespace, with a real token.
  const { core, rbac, config } = clients();
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'viewer' } } });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: { metadata: { name: 'viewer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace }] },
  });
  const token = await core.createNamespacedServiceAccountToken({ namespace, name: 'viewer', body: { spec: { audiences: [], expirationSeconds: 600 } } });
  const viewer = new KubeConfig();
  viewer.loadFromClusterAndUser(config.getCurrentCluster()!, { name: 'viewer', token: token.status!.token });
  const limited = createActivities(makeClients(viewer), new JobWatches(makeClients(viewer)));

  const failure = await inActivity(limited.checkPermissions, { namespace, clusterRoles: ['view'] }).catch((e: unknown) => e);
  expect(failure).toMatchObject({ nonRetryable: true, type: 'KubernetesForbidden' });
  const message = (failure as Error).message;
  expect(message).toContain(`create batch/jobs in namespace ${namespace}`);
  expect(message).toContain('create rbac.authorization.k8s.io/clusterrolebindings (cluster-wide)');
  expect(message).toContain('bind rbac.authorization.k8s.io/clusterroles (cluster-wide) view');
  expect(message).not.toContain(`get batch/jobs in namespace ${namespace}`); // view grants reading Jobs
});
