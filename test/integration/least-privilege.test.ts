// The chart's permissions are enough, and no more than enough: every activity runs a validator's
// whole life as the worker's ServiceAccount (its real token, with the chart's admission policies in
// force) in a namespace the chart made, binding cluster-admin is refused, and with one rule taken
// away the pre-check names exactly what is missing. (What they refuse: stolen-token.test.ts.)
import type { V1Role } from '@kubernetes/client-node';
import { inActivity, jobContext, simulated } from '../harness/activities';
import { testRelease } from '../harness/chart';
import { eventually } from '../harness/eventually';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { createActivities } from '../../src/activities';
import { JobWatches } from '../../src/k8s/job-watch';
import { stuckThresholdsSchema } from '../../src/core/spec';
import { buildReport } from '../../src/core/ctrf';
import { permissionsFor } from '../../src/core/permissions';
import { secretEnvName } from '../../src/core/names';
import { secretEnvData } from '../../src/core/secrets';

test("the chart's permissions cover a validator's whole life, refuse cluster-admin, and the pre-check names a missing rule", async () => {
  const namespace = testNamespace();
  const runNamespace = `${namespace}-run`;
  const release = testRelease(namespace, { policy: { allowedNamespaces: [runNamespace] } });
  const admin = clients();
  let watches: JobWatches | undefined;
  try {
    expect(release.install().status).toBe(0);
    await release.inForce();
    const worker = await release.workerClients();
    watches = new JobWatches(worker);
    const acts = createActivities(worker, watches);

    // RBAC reaches the authorizer through a cache: wait until the binding is seen.
    // A suite with a secret-marked value needs every permission, the Secret's included.
    expect(await eventually(() => inActivity(acts.checkPermissions, { namespace: runNamespace, clusterRoles: ['view'], hasSecrets: true }), 'the binding to take effect')).toEqual({ checked: permissionsFor({ hasSecrets: true }).flatMap((p) => p.verbs).length + 1, accessReviews: 0 });

    const run = { runId: 'least-privilege', namespace: runNamespace };
    // The chart made the namespace: the worker, which may not create one, uses it as it is.
    expect(await inActivity(acts.ensureNamespace, { namespace: runNamespace })).toEqual({ createdByVerdict: false });
    const unmade = await inActivity(acts.ensureNamespace, { namespace: `${namespace}-other` }).then(() => undefined, (e: unknown) => e as Error & { type?: string });
    expect(unmade?.type).toBe('KubernetesForbidden');
    expect(unmade?.message).toContain(`namespace ${namespace}-other does not exist, or this worker may not see it`);
    const accounts = await inActivity(acts.ensureRunRbac, { ...run, clusterRoles: ['view'] });
    const spec = simulated('checks', { 'exit-code': '0', stdout: 'checking nodes\nall 3 ready' }, { env: [{ name: 'TOKEN', value: 'least-privilege-token', secret: true }] });
    const inputs = await inActivity(acts.ensureInputs, { ...run, inputs: { 'snapshot.yaml': 'nodes: 3\n' }, secrets: secretEnvData({ validators: [spec] }) });
    const ctx = { ...jobContext(run, runNamespace, spec.name, accounts.view), inputs, secret: secretEnvName(run) };
    const { jobName } = await inActivity(acts.deployJob, { spec, ctx });
    const outcome = await inActivity(acts.awaitJob, { namespace: runNamespace, jobName, thresholds: stuckThresholdsSchema.parse(undefined), deadline: Date.now() + 60_000 });
    expect(outcome).toEqual({ outcome: 'succeeded' });
    const result = await inActivity(acts.extractResult, { namespace: runNamespace, jobName, spec, outcome });
    expect(result).toMatchObject({ status: 'passed', exitCode: 0, stdout: ['checking nodes', 'all 3 ready'] });
    expect(await inActivity(acts.deleteJob, { namespace: runNamespace, jobName })).toEqual({ podsSettled: true });
    const report = buildReport([result], { reportId: '00000000-0000-4000-8000-000000000000', start: 0, stop: 1, toolVersion: 'test' });
    const stored = await inActivity(acts.storeReport, { ...run, report });
    await inActivity(acts.cleanupRunResources, { ...run, clusterRoles: ['view'], inputs: { 'snapshot.yaml': 'nodes: 3\n' }, hasSecrets: true });
    await worker.core.deleteNamespacedConfigMap({ namespace: runNamespace, name: stored.configMap });

    // cluster-admin: the pre-check says so up front, and RBAC itself refuses the binding (no escalation).
    const refusal = await inActivity(acts.checkPermissions, { namespace: runNamespace, clusterRoles: ['view', 'cluster-admin'] }).then(() => new Error('allowed'), (e: unknown) => e as Error);
    expect(refusal).toMatchObject({ nonRetryable: true, type: 'KubernetesForbidden' });
    expect(refusal.message).toContain('lacks 1 permission(s)');
    expect(refusal.message).toContain('bind rbac.authorization.k8s.io/clusterroles (cluster-wide) cluster-admin');
    await expect(inActivity(acts.ensureRunRbac, { ...run, clusterRoles: ['cluster-admin'] })).rejects.toMatchObject({ type: 'KubernetesForbidden' });
    await inActivity(acts.cleanupRunResources, { ...run, clusterRoles: ['cluster-admin'], inputs: {} });

    // Take the pods/log rule away: the pre-check names exactly that permission.
    const role: V1Role = await admin.rbac.readNamespacedRole({ namespace: runNamespace, name: release.worker });
    role.rules = role.rules!.filter((r) => !r.resources?.includes('pods/log'));
    await admin.rbac.replaceNamespacedRole({ namespace: runNamespace, name: release.worker, body: role });
    const missing = await eventually(
      () => inActivity(acts.checkPermissions, { namespace: runNamespace, clusterRoles: ['view'] }).then(() => undefined, (e: unknown) => e as Error),
      'the reduced ClusterRole to take effect',
    );
    expect(missing.message).toContain('lacks 1 permission(s)');
    expect(missing.message).toContain(`get pods/log in namespace ${runNamespace}`);
  } finally {
    watches?.stop();
    release.uninstall();
  }
});
