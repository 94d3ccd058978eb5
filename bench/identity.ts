// Two API identities for the bench, one for Verdict's worker and one for the baseline's kubectl,
// each matched by its own FlowSchema: the API server's flow-control counters then count exactly
// the requests each side made, whatever else (controllers, kwok, other tenants) runs at the time.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { managedBy } from '../src/core/labels';
import { pkiFile } from '../src/sandbox/pki';
import { kubectl } from '../src/sandbox/sandbox';

export type Side = 'verdict' | 'baseline';
export const benchRunLabel = 'verdict.dev/bench-run';
/** The flow-control priority level both identities use: an ordinary, limited one. */
const priorityLevel = 'workload-high';

export interface Identities {
  kubeconfig: Record<Side, string>;
  flowSchema: Record<Side, string>;
  /** Deletes the binding and flow schemas. */
  remove(): void;
}

const labels = (benchId: string) => ({ [managedBy.key]: managedBy.value, [benchRunLabel]: benchId });

function issueCert(dir: string, user: string): { crt: string; key: string } {
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${user}.key`, '-out', `${user}.csr`, '-subj', `/O=verdict-bench/CN=${user}`]);
  writeFileSync(join(dir, `${user}.ext`), 'extendedKeyUsage=clientAuth\n');
  openssl(['x509', '-req', '-in', `${user}.csr`, '-CA', pkiFile('ca.crt'), '-CAkey', pkiFile('ca.key'), '-CAcreateserial', '-CAserial', join(dir, 'ca.srl'), '-days', '2', '-out', `${user}.crt`, '-extfile', `${user}.ext`]);
  return { crt: join(dir, `${user}.crt`), key: join(dir, `${user}.key`) };
}

function kubeconfig(dir: string, user: string, server: string, cert: { crt: string; key: string }): string {
  const b64 = (f: string) => readFileSync(f).toString('base64');
  const path = join(dir, `${user}.kubeconfig`);
  const text = `apiVersion: v1
kind: Config
clusters:
- name: sandbox
  cluster: { server: "${server}", certificate-authority-data: ${b64(pkiFile('ca.crt'))} }
users:
- name: ${user}
  user: { client-certificate-data: ${b64(cert.crt)}, client-key-data: ${b64(cert.key)} }
contexts:
- name: bench
  context: { cluster: sandbox, user: ${user} }
current-context: bench
`;
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

function flowSchema(name: string, user: string, benchId: string): object {
  return {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
    kind: 'FlowSchema',
    metadata: { name, labels: labels(benchId) },
    spec: {
      priorityLevelConfiguration: { name: priorityLevel },
      matchingPrecedence: 150,
      distinguisherMethod: { type: 'ByUser' },
      rules: [
        {
          subjects: [{ kind: 'User', user: { name: user } }],
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        },
      ],
    },
  };
}

/** Issues the certificates (signed by the sandbox CA), binds them to cluster-admin, adds the flow schemas. */
export function createIdentities(benchId: string, dir: string, server: string): Identities {
  const sides: Side[] = ['verdict', 'baseline'];
  const user = (s: Side) => `verdict-bench-${benchId}-${s}`;
  const kc = {} as Record<Side, string>;
  const fs = {} as Record<Side, string>;
  for (const s of sides) {
    kc[s] = kubeconfig(dir, user(s), server, issueCert(dir, user(s)));
    fs[s] = user(s);
  }
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `verdict-bench-${benchId}`, labels: labels(benchId) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: sides.map((s) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user(s) })),
  };
  const list = { apiVersion: 'v1', kind: 'List', items: [binding, ...sides.map((s) => flowSchema(fs[s], user(s), benchId))] };
  kubectl(['apply', '-f', '-'], JSON.stringify(list));
  return {
    kubeconfig: kc,
    flowSchema: fs,
    remove: () => void kubectl(['delete', 'clusterrolebinding,flowschema', '-l', `${benchRunLabel}=${benchId}`, '--ignore-not-found', '--wait=true']),
  };
}
