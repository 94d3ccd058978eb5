// deploy/base, rendered for one test: a kustomize overlay puts every object in the test's namespace,
// suffixes names (ClusterRoles are cluster-wide) and labels them ours, so the leak check sees them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';
import { binaryPath, repoRoot } from '../../src/sandbox/binaries';
import { paths } from '../../src/sandbox/layout';
import { labelKeys, managedBy } from '../../src/core/labels';

export const deployBase = join(repoRoot, 'deploy', 'base');

export function kubectl(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(binaryPath('kubectl'), args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: process.env.KUBECONFIG ?? paths.kubeconfig() } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface WorkerOverlay {
  dir: string;
  /** The names the overlay gives deploy/base's objects (all of them are suffixed). */
  name: (base: string) => string;
  render(): KubernetesObject[];
  remove(): void;
}

/** Writes an overlay of deploy/base for `namespace`; `replicas` 0 keeps the worker from running. */
export function workerOverlay(namespace: string, replicas = 0): WorkerOverlay {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-deploy-'));
  const suffix = `-${namespace}`;
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [relative(dir, deployBase)],
    nameSuffix: suffix,
    // Unlike the `namespace:` field, this also moves the ClusterRoleBinding's subject.
    transformers: [stringify({ apiVersion: 'builtin', kind: 'NamespaceTransformer', metadata: { name: 'test-namespace', namespace }, setRoleBindingSubjects: 'allServiceAccounts' })],
    labels: [{ pairs: { [managedBy.key]: managedBy.value, [labelKeys.namespace]: namespace } }],
    replicas: [{ name: 'verdict-worker', count: replicas }],
    // The test's namespace exists already: leave the base's Namespace out.
    patches: [{ patch: stringify({ $patch: 'delete', apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'verdict-system' } }) }],
  };
  writeFileSync(join(dir, 'kustomization.yaml'), stringify(kustomization));
  return {
    dir,
    name: (base) => `${base}${suffix}`,
    render() {
      const r = kubectl(['kustomize', dir]);
      if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.stderr}`);
      return parseAllDocuments(r.stdout).map((d) => d.toJS() as KubernetesObject);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The objects of deploy/base as written (namespace verdict-system). */
export function baseObjects(): KubernetesObject[] {
  const r = kubectl(['kustomize', deployBase]);
  if (r.status !== 0) throw new Error(`kubectl kustomize ${deployBase} failed: ${r.stderr}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as KubernetesObject);
}
