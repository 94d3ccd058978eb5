// The operator's policy, on the real servers: runs started with a plain Temporal client (no CLI
// checks) on a worker with the default policy. A hostile suite is refused non-retryably with every
// violation and nothing is created anywhere; a suite within the policy runs and its report records
// the policy.
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { withVerdictWorker } from '../harness/verdict-worker';
import { testNamespace } from '../harness/namespace';
import { clients } from '../harness/k8s';
import { sim, suite } from '../harness/suites';
import { runSuite } from '../../src/workflows';
import { defaultPolicy, type Policy, type Violation } from '../../src/core/policy';
import { runKey } from '../../src/core/names';
import { labelKeys, managedBySelector, runIdAnnotation } from '../../src/core/labels';
import type { SuiteInput, ValidatorInput } from '../../src/core/spec';

/** The default policy, with the test's own namespace allowed in place of `verdict`. */
const defaultHere = (): Policy => ({ ...defaultPolicy, allowedNamespaces: [testNamespace()] });

interface Refusal {
  type?: string;
  nonRetryable?: boolean;
  message: string;
  violations: Violation[];
  activities: string[];
  key: string;
}

/** Starts `s` with a plain client, expects the run to fail, and returns the failure and the activities its history scheduled. */
async function refusal(client: Client, taskQueue: string, s: SuiteInput): Promise<Refusal> {
  const workflowId = `policy-${randomUUID()}`;
  const handle = await client.workflow.start(runSuite, { taskQueue, workflowId, args: [{ suite: s }] });
  const err = await handle.result().then(
    () => new Error('the run was not refused'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause as Error & { type?: string; nonRetryable?: boolean; details?: unknown[] };
  const history = await handle.fetchHistory();
  const activities = (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  return { type: cause.type, nonRetryable: cause.nonRetryable, message: cause.message, violations: cause.details?.[0] as Violation[], activities, key: runKey({ runId: workflowId, execution: handle.firstExecutionRunId }) };
}

/** Everything in the cluster carrying the run's key label, of every kind a run creates. */
async function objectsOfRun(key: string): Promise<string[]> {
  const c = clients();
  const labelSelector = `${managedBySelector},${labelKeys.run}=${key}`;
  const lists = await Promise.all([
    c.batch.listJobForAllNamespaces({ labelSelector }).then((l) => l.items.map((o) => `Job ${o.metadata?.namespace}/${o.metadata?.name}`)),
    c.core.listPodForAllNamespaces({ labelSelector }).then((l) => l.items.map((o) => `Pod ${o.metadata?.namespace}/${o.metadata?.name}`)),
    c.core.listServiceAccountForAllNamespaces({ labelSelector }).then((l) => l.items.map((o) => `ServiceAccount ${o.metadata?.namespace}/${o.metadata?.name}`)),
    c.core.listConfigMapForAllNamespaces({ labelSelector }).then((l) => l.items.map((o) => `ConfigMap ${o.metadata?.namespace}/${o.metadata?.name}`)),
    c.core.listSecretForAllNamespaces({ labelSelector }).then((l) => l.items.map((o) => `Secret ${o.metadata?.namespace}/${o.metadata?.name}`)),
    c.rbac.listClusterRoleBinding({ labelSelector }).then((l) => l.items.map((o) => `ClusterRoleBinding ${o.metadata?.name}`)),
  ]);
  return lists.flat();
}

const controlPlaneToleration = { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' as const, effect: 'NoSchedule' as const };

test('a hostile suite from a plain Temporal client: refused before anything is created, every violation listed by field', async () => {
  const missing = `${testNamespace()}-hostile`;
  const hostile = (namespace: string) =>
    suite(
      'hostile',
      namespace,
      [
        sim('root', 'readiness', {}, { privileged: true, clusterRole: 'cluster-admin' }),
        sim('thief', 'deployment', {}, { env: [{ name: 'TOKEN', secretKeyRef: { name: 'etcd-certs', key: 'tls.key' } }], imagePullSecrets: ['registry-admin'] }),
        sim('cp', 'deployment', {}, { tolerations: [controlPlaneToleration, { operator: 'Exists' }], podAnnotations: { 'container.apparmor.security.beta.kubernetes.io/validator': 'unconfined' } }),
      ],
      { allowClusterAdmin: true, inputs: { 'data.txt': 'x' } },
    );
  const [system, fresh] = await withVerdictWorker((taskQueue, client) => Promise.all([refusal(client, taskQueue, hostile('kube-system')), refusal(client, taskQueue, hostile(missing))]), undefined, defaultPolicy);

  for (const r of [system, fresh]) {
    expect(r).toMatchObject({ type: 'PolicyViolation', nonRetryable: true });
    expect(r.violations.map((v) => v.path)).toEqual([
      'suite.namespace',
      'suite.validators.0.privileged',
      'suite.validators.0.clusterRole',
      'suite.validators.1.env.0.secretKeyRef.name',
      'suite.validators.1.imagePullSecrets.0',
      'suite.validators.2.tolerations.0',
      'suite.validators.2.tolerations.1',
      'suite.validators.2.podAnnotations.container.apparmor.security.beta.kubernetes.io/validator',
    ]);
    expect(r.message).toContain("this worker's policy refuses the suite (8 violations); nothing was created");
    expect(r.message).toContain("suite.validators.0.privileged: privileged validators are not allowed by this worker's policy (--allow-privileged)");
    // The policy check is the only activity the run ever scheduled: no permissions check, no namespace, RBAC, inputs or cleanup.
    expect(r.activities).toEqual(['checkRunPolicy']);
    expect(await objectsOfRun(r.key)).toEqual([]);
  }
  expect(system.message).toContain('suite.namespace: namespace "kube-system" is not allowed');
  // No namespace was created, and kube-system carries no mark of Verdict's.
  expect(await clients().core.readNamespace({ name: missing }).then(() => 'exists', (e: { code?: number }) => e.code)).toBe(404);
  const kubeSystem = await clients().core.readNamespace({ name: 'kube-system' });
  expect(kubeSystem.metadata?.annotations?.[runIdAnnotation]).toBeUndefined();
});

const refusedByDefault: [string, Partial<ValidatorInput>, string][] = [
  ['privileged: true', { privileged: true }, 'suite.validators.0.privileged'],
  ['clusterRole: cluster-admin', { clusterRole: 'cluster-admin' }, 'suite.validators.0.clusterRole'],
  ['a secretKeyRef to a Secret not allowed', { env: [{ name: 'T', secretKeyRef: { name: 'db-password', key: 'p' } }] }, 'suite.validators.0.env.0.secretKeyRef.name'],
  ['a control-plane toleration', { tolerations: [{ key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' }] }, 'suite.validators.0.tolerations.0'],
];

test('the default policy refuses each escalation on its own, and a run in kube-system', async () => {
  const namespace = testNamespace();
  await withVerdictWorker(
    async (taskQueue, client) => {
      const refusals = await Promise.all([
        refusal(client, taskQueue, suite('elsewhere', 'kube-system', [sim('a', 'readiness', { 'exit-code': '0' })])),
        ...refusedByDefault.map(([, extra]) => refusal(client, taskQueue, suite('one', namespace, [sim('a', 'readiness', { 'exit-code': '0' }, extra)], { allowClusterAdmin: true }))),
      ]);
      expect(refusals.map((r) => r.violations.map((v) => v.path))).toEqual([['suite.namespace'], ...refusedByDefault.map(([, , path]) => [path])]);
      for (const r of refusals) {
        expect(r).toMatchObject({ type: 'PolicyViolation', nonRetryable: true, activities: ['checkRunPolicy'] });
        expect(await objectsOfRun(r.key)).toEqual([]);
      }
    },
    undefined,
    defaultHere(),
  );
  expect((await clients().batch.listNamespacedJob({ namespace })).items).toHaveLength(0);
});

test('a suite within the policy runs, and its report records the policy it was checked against', async () => {
  const namespace = testNamespace();
  const policy = defaultHere();
  const within = suite('within', namespace, [
    sim('ok', 'readiness', { 'exit-code': '0', stdout: 'fine' }, { resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '2', memory: '4Gi' } }, timeout: '1h', tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }),
  ]);
  const output = await withVerdictWorker((taskQueue, client) => client.workflow.execute(runSuite, { taskQueue, workflowId: `policy-${randomUUID()}`, args: [{ suite: within }] }), undefined, policy);
  expect(output.status).toBe('passed');
  expect(output.report.results.extra?.policy).toEqual(policy);
});
