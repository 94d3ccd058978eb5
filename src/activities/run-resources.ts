// The run's own objects besides Jobs: per-run ServiceAccounts and ClusterRoleBindings (one per
// ClusterRole the suite uses), the input files ConfigMap and the Secret of secret-marked env
// values. Applying is idempotent; cleanup treats NotFound as done and reports every other failure at once.
import { ApplicationFailure } from '@temporalio/common';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Clients } from '../k8s/client';
import { createOwned, deleteOwned } from '../k8s/owned';
import { toFailure } from '../k8s/errors';
import { failureTypes } from '../core/failures';
import { clusterRoleBindingName, inputsConfigMapName, reportConfigMapName, secretEnvName, serviceAccountName } from '../core/names';
import type { CtrfReport } from '../core/ctrf';
import { buildClusterRoleBinding, buildInputsConfigMap, buildReportConfigMap, buildSecretEnvSecret, buildServiceAccount, type RunRef } from '../core/rbac';

export interface RunResources extends RunRef {
  clusterRoles: string[];
  /** Input files by name; empty when the suite has none. */
  inputs: Record<string, string>;
  /** Whether the suite has secret-marked env values, so the run has a Secret. */
  hasSecrets?: boolean;
}


export function runResourceActivities(c: Clients) {
  return {
    async ensureRunRbac(run: RunRef & { clusterRoles: string[] }): Promise<Record<string, string>> {
      const accounts: Record<string, string> = {};
      for (const role of [...new Set(run.clusterRoles)]) {
        await createOwned(c, buildServiceAccount(run, role), run);
        await createOwned(c, buildClusterRoleBinding(run, role), run);
        accounts[role] = serviceAccountName(run, role);
      }
      return accounts;
    },

    /**
     * The input files ConfigMap and, when given secret-marked env values (by secretEnvData key), the
     * Secret the Jobs reference them from: one activity, so the run's command sequence stays the same.
     */
    async ensureInputs(run: RunRef & { inputs: Record<string, string>; secrets?: Record<string, string> }): Promise<{ configMap: string; files: string[] } | undefined> {
      const files = Object.keys(run.inputs).sort();
      const secrets = run.secrets ?? {};
      // Their sizes were checked with the suite (src/core/spec.ts), before anything was created.
      if (Object.keys(secrets).length > 0) await createOwned(c, buildSecretEnvSecret(run, secrets), run);
      if (files.length === 0) return undefined;
      await createOwned(c, buildInputsConfigMap(run, run.inputs), run);
      return { configMap: inputsConfigMapName(run), files };
    },

    /** Keeps the report in a ConfigMap (labelled ours, so it is never unseen; delete it when done). */
    async storeReport(run: RunRef & { report: CtrfReport }): Promise<{ configMap: string }> {
      await createOwned(c, buildReportConfigMap(run, JSON.stringify(run.report)), run);
      return { configMap: reportConfigMapName(run) };
    },

    /**
     * Deletes the run's own RBAC, inputs and Secret; what someone else owns under those names is left
     * and named. NotFound is done; any other failure is reported, all at once.
     */
    async cleanupRunResources(run: RunResources): Promise<{ left: string[] }> {
      const { namespace } = run;
      const objects: KubernetesObject[] = [];
      for (const role of [...new Set(run.clusterRoles)]) {
        objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: clusterRoleBindingName(run, role) } });
        objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccountName(run, role), namespace } });
      }
      if (Object.keys(run.inputs).length > 0) objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: inputsConfigMapName(run), namespace } });
      if (run.hasSecrets) objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: secretEnvName(run), namespace } });
      const results = await Promise.allSettled(objects.map((o) => deleteOwned(c, o, run)));
      const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [toFailure(r.reason, `deleting ${objects[i].kind} ${objects[i].metadata!.name}`)] : []));
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw ApplicationFailure.retryable(failures.map((f) => f.message).join('\n'), failureTypes.cleanupFailed);
      return { left: results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : [])) };
    },
  };
}
