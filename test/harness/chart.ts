// The chart (deploy/chart/verdict), rendered by Helm and applied for one test: the release is named
// for the test's namespace and installed there (cluster-wide objects carry that name), and every
// object is labelled ours with the namespace, so the leak check sees whatever a test leaves.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { binaryPath, repoRoot } from '../../src/sandbox/binaries';
import { paths } from '../../src/sandbox/layout';
import { labelKeys, managedBy } from '../../src/core/labels';
import { makeClients, type Clients } from '../../src/k8s/client';
import { clients } from './k8s';
import { eventually } from './eventually';

export const chartDir = join(repoRoot, 'deploy', 'chart', 'verdict');

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

const run = (binary: 'helm' | 'kubectl', args: string[], input?: string): Ran => {
  const r = spawnSync(binaryPath(binary), args, { encoding: 'utf8', input, env: { ...process.env, KUBECONFIG: process.env.KUBECONFIG ?? paths.kubeconfig() } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

export const kubectl = (args: string[], input?: string): Ran => run('kubectl', args, input);
export const helm = (args: string[]): Ran => run('helm', args);

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** Values over the chart's values.yaml. */
  values?: object;
}

/** `helm template`: the chart's manifests for these values, or Helm's refusal (status and stderr). */
export function template({ release = 'verdict', namespace = 'verdict-system', values = {} }: RenderOptions = {}): Ran {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-chart-'));
  try {
    writeFileSync(join(dir, 'values.json'), JSON.stringify(values));
    return helm(['template', release, chartDir, '--namespace', namespace, '--values', join(dir, 'values.json')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderChart(o: RenderOptions = {}): KubernetesObject[] {
  const r = template(o);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as KubernetesObject | null)
    .filter((o): o is KubernetesObject => o !== null);
}

export interface TestRelease {
  namespace: string;
  /** The worker's ServiceAccount, roles and ConfigMap. */
  worker: string;
  /** The worker's identity as the API server sees it. */
  user: string;
  objects: KubernetesObject[];
  install(): Ran;
  uninstall(): Ran;
  /** Clients that act as the worker, with a short-lived token of its ServiceAccount. */
  workerClients(): Promise<Clients>;
  /** kubectl as the worker (impersonated, its groups included). */
  asWorker(args: string[], manifest?: object): Ran;
  /** Waits until the API server enforces the release's RBAC and admission policies (both reach it through caches). */
  inForce(): Promise<void>;
}

/** A release for the test's `namespace`; `values` over the chart's (policy, replicas...). No worker runs (replicas 0). */
export function testRelease(namespace: string, values: { policy?: object; [key: string]: unknown } = {}): TestRelease {
  const worker = `${namespace}-worker`;
  const objects = renderChart({
    release: namespace,
    namespace,
    values: { replicas: 0, ...values, policy: { allowedNamespaces: [namespace], ...values.policy }, extraLabels: { [managedBy.key]: managedBy.value, [labelKeys.namespace]: namespace } },
  });
  const manifest = objects.map((o) => stringify(o)).join('---\n');
  const user = `system:serviceaccount:${namespace}:${worker}`;
  const groups = ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];
  // Impersonation flags first: after `--` (kubectl exec) they would be the command's.
  const asWorker = (args: string[], manifest?: object) => kubectl([`--as=${user}`, ...groups.map((g) => `--as-group=${g}`), ...args], manifest && JSON.stringify(manifest));
  const runNamespace = (values.policy as { allowedNamespaces?: string[] } | undefined)?.allowedNamespaces?.[0] ?? namespace;
  // A Job as another ServiceAccount: RBAC lets the worker ask, its admission policy refuses.
  const probe = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'verdict-probe', namespace: runNamespace, labels: { [managedBy.key]: managedBy.value } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
  return {
    namespace,
    worker,
    user,
    asWorker,
    async inForce() {
      const refusal = () => asWorker(['create', '--dry-run=server', '-f', '-'], probe).stderr;
      await eventually(() => Promise.resolve(/denied request/.test(refusal()) ? true : undefined), `the RBAC and admission policies of release ${namespace} to be in force`, 60_000);
    },
    objects,
    install: () => kubectl(['apply', '--server-side', '--field-manager=verdict-test', '-f', '-'], manifest),
    uninstall: () => kubectl(['delete', '--ignore-not-found', '--wait=true', '-f', '-'], manifest),
    async workerClients() {
      const admin = clients();
      const token = await admin.core.createNamespacedServiceAccountToken({ namespace, name: worker, body: { spec: { audiences: [], expirationSeconds: 600 } } });
      const config = new KubeConfig();
      config.loadFromClusterAndUser(admin.config.getCurrentCluster()!, { name: worker, token: token.status!.token });
      return makeClients(config);
    },
  };
}
