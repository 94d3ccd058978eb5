// The run-level activities: namespace, per-run RBAC, inputs and secret env, cleanup, permission check.
import { randomUUID } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { activityKit, inActivity, jobContext, simulated } from '../harness/activities';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { createActivities } from '../../src/activities';
import { makeClients } from '../../src/k8s/client';
import { JobWatches } from '../../src/k8s/job-watch';
import { requiredPermissions } from '../../src/core/permissions';
import { createdByAnnotation } from '../../src/activities/namespace';
import { runKey, secretEnvName } from '../../src/core/names';
import { secretEnvData } from '../../src/core/secrets';
import { stuckThresholdsSchema } from '../../src/core/spec';

const { acts, watches } = activityKit();
afterAll(() => watches.stop());

const ours = (runId: string) => `app.kubernetes.io/managed-by=verdict,verdict.dev/run=${runKey({ runId })}`;

test('ensureNamespace creates and marks a namespace, and leaves one it did not create exactly as it was', async () => {
  const { core } = clients();
  const fresh = `${testNamespace()}-fresh`;
  expect(await inActivity(acts.ensureNamespace, { namespace: fresh })).toEqual({ createdByVerdict: true });
  expect(await inActivity(acts.ensureNamespace, { namespace: fresh })).toEqual({ createdByVerdict: true });
  const created = await core.readNamespace({ name: fresh });
  expect(created.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('verdict');
  await core.deleteNamespace({ name: fresh });

  const existing = testNamespace();
  const before = await core.readNamespace({ name: existing });
  expect(await inActivity(acts.ensureNamespace, { namespace: existing })).toEqual({ createdByVerdict: false });
  const after = await core.readNamespace({ name: existing });
  expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  expect(after.metadata?.labels).toEqual({ 'kubernetes.io/metadata.name': existing, 'verdict.dev/test': 'true' });
  expect(after.metadata?.annotations?.[createdByAnnotation]).toBeUndefined();
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

test('inputs: one immutable ConfigMap per run (their size is checked with the suite, before anything is created)', async () => {
  const namespace = testNamespace();
  const { core } = clients();
  const run = { runId: 'with-inputs', namespace, clusterRoles: [], inputs: { 'snapshot.yaml': 'nodes: 3\n', 'recipe.yaml': 'gpu: true\n' } };
  const made = await inActivity(acts.ensureInputs, run);
  expect(await inActivity(acts.ensureInputs, run)).toEqual(made);
  expect(made?.files).toEqual(['recipe.yaml', 'snapshot.yaml']);
  const cm = await core.readNamespacedConfigMap({ namespace, name: made!.configMap });
  expect(cm.data).toEqual(run.inputs);
  expect(await inActivity(acts.ensureInputs, { ...run, inputs: {} })).toBeUndefined();

  await inActivity(acts.cleanupRunResources, run);
  expect((await core.listNamespacedConfigMap({ namespace, labelSelector: ours(run.runId) })).items).toHaveLength(0);
});

test('secret env: one immutable Secret per run with the inputs, referenced by the Job, never in clear in the Job or pod; cleanup removes it', async () => {
  const namespace = testNamespace();
  const { core, batch } = clients();
  const value = `MARKER-SECRET-${randomUUID()}`;
  const spec = simulated('uses-secret', { 'exit-code': '0' }, { env: [{ name: 'DB_PASSWORD', value, secret: true }, { name: 'DB_HOST', value: 'db.internal' }] });
  const secrets = secretEnvData({ validators: [spec] });
  const run = { runId: `with-secrets-${randomUUID()}`, namespace, clusterRoles: [], inputs: { 'snapshot.yaml': 'nodes: 3\n' }, secrets };

  // Applied twice (a retried activity): one Secret, one ConfigMap, holding exactly the values.
  const inputs = await inActivity(acts.ensureInputs, run);
  expect(await inActivity(acts.ensureInputs, run)).toEqual(inputs);
  const stored = (await core.listNamespacedSecret({ namespace, labelSelector: ours(run.runId) })).items;
  expect(stored.map((s) => s.metadata?.name)).toEqual([secretEnvName(run)]);
  expect(stored[0]).toMatchObject({ type: 'Opaque', immutable: true, metadata: { annotations: { 'verdict.dev/run-id': run.runId } } });
  expect(Object.fromEntries(Object.entries(stored[0].data!).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]))).toEqual({ 'uses-secret.DB_PASSWORD': value });
  expect((await core.listNamespacedConfigMap({ namespace, labelSelector: ours(run.runId) })).items).toHaveLength(1);

  // The Job and the pod the API server made from it only reference the Secret.
  const ctx = { ...jobContext(run.runId, namespace, spec.name), inputs, secret: secretEnvName(run) };
  const { jobName } = await inActivity(acts.deployJob, { spec, ctx });
  const outcome = await inActivity(acts.awaitJob, { namespace, jobName, thresholds: stuckThresholdsSchema.parse(undefined), deadline: Date.now() + 60_000 });
  expect(outcome).toEqual({ outcome: 'succeeded' });
  const job = await batch.readNamespacedJob({ namespace, name: jobName });
  const pods = (await core.listNamespacedPod({ namespace, labelSelector: ours(run.runId) })).items;
  expect(pods).toHaveLength(1);
  const ref = { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: secretEnvName(run), key: 'uses-secret.DB_PASSWORD' } } };
  for (const obj of [job.spec!.template, pods[0]]) {
    expect(obj.spec!.containers[0].env).toContainEqual(ref);
    expect(obj.spec!.containers[0].env).toContainEqual({ name: 'DB_HOST', value: 'db.internal' });
  }
  expect(JSON.stringify(job)).not.toContain(value);
  expect(JSON.stringify(pods)).not.toContain(value);
  await inActivity(acts.deleteJob, { namespace, jobName });

  // Without the Secret in its context, a Job with a secret value is refused before anything is made.
  const orphan = { ...spec, name: 'no-secret' };
  await expect(inActivity(acts.deployJob, { spec: orphan, ctx: jobContext(run.runId, namespace, orphan.name) })).rejects.toMatchObject({ nonRetryable: true, type: 'BadInput', message: expect.stringContaining('env DB_PASSWORD is marked secret') as string });
  expect((await batch.listNamespacedJob({ namespace, labelSelector: ours(run.runId) })).items).toHaveLength(0);

  // (Over 1 MiB of secret values is refused with the suite, before anything exists: test/unit/spec.test.ts.)

  const resources = { runId: run.runId, namespace, clusterRoles: [], inputs: run.inputs, hasSecrets: true };
  await inActivity(acts.cleanupRunResources, resources);
  await inActivity(acts.cleanupRunResources, resources); // NotFound is done
  expect((await core.listNamespacedSecret({ namespace, labelSelector: ours(run.runId) })).items).toHaveLength(0);
  expect((await core.listNamespacedConfigMap({ namespace, labelSelector: ours(run.runId) })).items).toHaveLength(0);
});

test('the permission check passes for an admin and lists everything a view-only identity lacks', async () => {
  const namespace = testNamespace();
  const { checked, accessReviews } = await inActivity(acts.checkPermissions, { namespace, clusterRoles: ['view'] });
  expect(checked).toBeGreaterThan(20);
  const secretVerbs = requiredPermissions.filter((p) => p.onlyWithSecrets).flatMap((p) => p.verbs).length;
  expect(accessReviews).toBe(0); // the admin's rules show every grant: one request in all
  expect(await inActivity(acts.checkPermissions, { namespace, clusterRoles: ['view'], hasSecrets: true })).toEqual({ checked: checked + secretVerbs, accessReviews: 0 });

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
  expect(message).not.toContain('secrets'); // asked for only when the suite has secret values
  const withSecrets = (await inActivity(limited.checkPermissions, { namespace, clusterRoles: ['view'], hasSecrets: true }).catch((e: unknown) => e)) as Error;
  expect(withSecrets.message).toContain(`create secrets in namespace ${namespace}`);
  expect(withSecrets.message).toContain(`delete secrets in namespace ${namespace}`);
});
