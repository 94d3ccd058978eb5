// What a stolen worker token can do, asked of Kubernetes itself: each attempt is made as the
// chart's worker (impersonated against the sandbox API server) and must be refused, by RBAC or by
// the chart's admission policies, while the same requests done Verdict's way are admitted. That
// the permissions are enough for real runs: least-privilege.test.ts and gc-secrets.test.ts.
import { testRelease } from '../harness/chart';
import { clients } from '../harness/k8s';
import { testNamespace } from '../harness/namespace';
import { managedBy } from '../../src/core/labels';

/** A name only a run's key makes (src/core/names.ts): verdict-<run key>-<role>. */
const runName = 'verdict-0123456789abcdef-view';
const ours = { [managedBy.key]: managedBy.value };

interface JobOptions {
  namespace: string;
  serviceAccount?: string;
  labels?: Record<string, string>;
  pod?: object;
  container?: object;
}

const job = (o: JobOptions) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'verdict-0123456789abcdef-check', namespace: o.namespace, labels: o.labels ?? ours },
  spec: {
    template: {
      metadata: { labels: ours },
      spec: { restartPolicy: 'Never', serviceAccountName: o.serviceAccount ?? runName, ...o.pod, containers: [{ name: 'check', image: 'busybox', ...o.container }] },
    },
  },
});

const binding = (o: { name?: string; role?: string; subject?: object }) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: o.name ?? runName, labels: ours },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: o.role ?? 'view' },
  subjects: [o.subject],
});

const configMap = (namespace: string, name: string, labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data: { a: 'b' } });

type Refuser = 'RBAC' | 'owns-its-objects' | 'jobs' | 'bindings';
type Attempt = [what: string, args: string[], manifest: object | undefined, refusedBy: Refuser];

test('a stolen worker token is refused by Kubernetes at every attempt, and Verdict’s own requests are admitted', async () => {
  const namespace = testNamespace();
  const run = `${namespace}-run`;
  const release = testRelease(namespace, { policy: { allowedNamespaces: [run] } });
  const { asWorker } = release;
  const create = ['create', '--dry-run=server', '-f', '-'];
  const runSubject = { kind: 'ServiceAccount', name: runName, namespace: run };
  try {
    expect(release.install().status).toBe(0);
    // Someone else's ConfigMap in the run's namespace.
    await clients().core.createNamespacedConfigMap({ namespace: run, body: configMap(run, 'team-settings') });

    // Verdict's own requests, admitted: the controls that show each refusal below is about what it names.
    const controls: [string, string[], object][] = [
      ['a Job as a run ServiceAccount', create, job({ namespace: run })],
      ['a binding of view to a run ServiceAccount', create, binding({ subject: runSubject })],
      ['a ConfigMap labelled ours', create, configMap(run, 'verdict-0123456789abcdef-inputs', ours)],
    ];
    await release.inForce();
    for (const [what, args, manifest] of controls) expect([what, asWorker(args, manifest).stderr]).toEqual([what, '']);

    const attempts: Attempt[] = [
      ['a Job in kube-system', create, job({ namespace: 'kube-system' }), 'RBAC'],
      ["a Job in the worker's own namespace (not one runs may use)", create, job({ namespace }), 'RBAC'],
      ['a pod made directly', create, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: run, labels: ours }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, 'RBAC'],
      ['a Job running as another ServiceAccount', create, job({ namespace: run, serviceAccount: 'default' }), 'jobs'],
      ['a privileged Job', create, job({ namespace: run, container: { securityContext: { privileged: true } } }), 'jobs'],
      ["a Job mounting the node's filesystem", create, job({ namespace: run, pod: { volumes: [{ name: 'root', hostPath: { path: '/' } }] } }), 'jobs'],
      ["a Job on the node's network", create, job({ namespace: run, pod: { hostNetwork: true } }), 'jobs'],
      // Not empty: a Job without labels takes its pod template's.
      ['a Job not labelled ours', create, job({ namespace: run, labels: { team: 'mallory' } }), 'owns-its-objects'],
      ['reading a Secret', ['get', 'secret', 'anything', '-n', run], undefined, 'RBAC'],
      ['listing Secrets', ['get', 'secrets', '-n', run], undefined, 'RBAC'],
      ['a server-side apply of a Secret (its response holds the data)', ['apply', '--server-side', '--dry-run=server', '-f', '-'], { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'verdict-0123456789abcdef-secret-env', namespace: run, labels: ours }, stringData: { a: 'b' } }, 'RBAC'],
      ['a token for another ServiceAccount', ['create', 'token', 'default', '-n', run], undefined, 'RBAC'],
      ['exec into a pod', ['exec', '-n', run, 'any-pod', '--', 'sh'], undefined, 'RBAC'],
      ['binding cluster-admin', create, binding({ role: 'cluster-admin', subject: runSubject }), 'RBAC'],
      ['binding view to a person', create, binding({ subject: { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory' } }), 'bindings'],
      ['binding view to a ServiceAccount in kube-system', create, binding({ subject: { kind: 'ServiceAccount', name: runName, namespace: 'kube-system' } }), 'bindings'],
      ['a binding not named for a run', create, binding({ name: 'backdoor', subject: runSubject }), 'bindings'],
      ['a Role of its own', create, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: run, labels: ours }, rules: [] }, 'RBAC'],
      ['patching a foreign namespace', ['label', '--dry-run=server', 'namespace', 'kube-system', 'taken=yes'], undefined, 'RBAC'],
      ["patching the run's namespace", ['label', '--dry-run=server', 'namespace', run, 'taken=yes'], undefined, 'RBAC'],
      ['creating a namespace', create, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${namespace}-mine`, labels: ours } }, 'RBAC'],
      ["deleting the run's namespace", ['delete', '--dry-run=server', 'namespace', run], undefined, 'RBAC'],
      ['deleting a ConfigMap Verdict did not make', ['delete', '--dry-run=server', 'configmap', 'team-settings', '-n', run], undefined, 'owns-its-objects'],
      ['a ConfigMap not labelled ours', create, configMap(run, 'verdict-0123456789abcdef-report'), 'owns-its-objects'],
    ];
    const rbac = new RegExp(`is forbidden: User "${release.user}" cannot|is attempting to grant RBAC permissions not currently held`);
    const policy = (name: string) => `ValidatingAdmissionPolicy '${release.worker}-${name}' with binding '${release.worker}-${name}' denied request`;
    const outcomes = attempts.map(([what, args, manifest, refusedBy]) => {
      const r = asWorker(args, manifest);
      const refused = r.status !== 0 && (refusedBy === 'RBAC' ? rbac.test(r.stderr) : r.stderr.includes(policy(refusedBy)));
      return { what, expected: refusedBy, outcome: r.status === 0 ? 'ALLOWED' : refused ? `refused by ${refusedBy}` : `refused otherwise: ${r.stderr.trim()}` };
    });
    console.log(outcomes.map((o) => `${o.what.padEnd(64)} ${o.outcome}`).join('\n'));
    expect(outcomes.map((o) => [o.what, o.outcome])).toEqual(attempts.map(([what, , , by]) => [what, `refused by ${by}`]));
    // The foreign ConfigMap is still there, as it was.
    expect((await clients().core.readNamespacedConfigMap({ namespace: run, name: 'team-settings' })).data).toEqual({ a: 'b' });
  } finally {
    release.uninstall();
  }
});
