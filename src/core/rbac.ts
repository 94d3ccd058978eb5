// Per-run RBAC for validators: a ServiceAccount and a ClusterRoleBinding per ClusterRole the suite
// uses, named after the run so runs at once never share or delete each other's objects; and the
// run's inputs ConfigMap, secret-env Secret and report ConfigMap.
import type { V1ClusterRoleBinding, V1ConfigMap, V1Secret, V1ServiceAccount } from '@kubernetes/client-node';
import { base64Utf8 } from './bytes';
import { runLabels } from './job';
import { identityAnnotations, labelKeys } from './labels';
import { clusterRoleBindingName, inputsConfigMapName, reportConfigMapName, secretEnvName, serviceAccountName, type RunIdentity } from './names';

export interface RunRef extends RunIdentity {
  namespace: string;
}

export function buildServiceAccount(run: RunRef, clusterRole: string): V1ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: serviceAccountName(run, clusterRole), namespace: run.namespace, labels: runLabels(run), annotations: identityAnnotations(run) },
  };
}

export function buildClusterRoleBinding(run: RunRef, clusterRole: string): V1ClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      name: clusterRoleBindingName(run, clusterRole),
      // Cluster-scoped: the namespace label says whose it is.
      labels: { ...runLabels(run), [labelKeys.namespace]: run.namespace },
      annotations: identityAnnotations(run),
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccountName(run, clusterRole), namespace: run.namespace }],
  };
}

export function buildInputsConfigMap(run: RunRef, files: Record<string, string>): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: inputsConfigMapName(run), namespace: run.namespace, labels: runLabels(run), annotations: identityAnnotations(run) },
    data: files,
    immutable: true,
  };
}

/** The run's secret-marked env values by key (see secretEnvData), which the Jobs reference. */
export function buildSecretEnvSecret(run: RunRef, data: Record<string, string>): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretEnvName(run), namespace: run.namespace, labels: runLabels(run), annotations: identityAnnotations(run) },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64Utf8(v)])),
    immutable: true,
  };
}

export function buildReportConfigMap(run: RunRef, reportJson: string): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: reportConfigMapName(run), namespace: run.namespace, labels: { ...runLabels(run), 'app.kubernetes.io/component': 'report' }, annotations: identityAnnotations(run) },
    data: { 'report.json': reportJson },
  };
}
