// The run's own objects besides Jobs: per-run ServiceAccounts and ClusterRoleBindings (one per
// ClusterRole the suite uses), the input files ConfigMap and the Secret of secret-marked env
// values. Applying is idempotent; cleanup treats NotFound as done and reports every other failure at once.
import { ApplicationFailure } from '@temporalio/common';
import type { Clients } from '../k8s/client';
import { apply } from '../k8s/apply';
import { isNotFound, nonRetryableTypes, toFailure } from '../k8s/errors';
import { utf8Bytes } from '../core/bytes';
import { clusterRoleBindingName, inputsConfigMapName, reportConfigMapName, secretEnvName, serviceAccountName } from '../core/names';
import type { CtrfReport } from '../core/ctrf';
import { buildClusterRoleBinding, buildInputsConfigMap, buildReportConfigMap, buildSecretEnvSecret, buildServiceAccount, type RunRef } from '../core/rbac';
import { maxInputBytes } from '../core/spec';

export interface RunResources extends RunRef {
  clusterRoles: string[];
  /** Input files by name; empty when the suite has none. */
  inputs: Record<string, string>;
  /** Whether the suite has secret-marked env values, so the run has a Secret. */
  hasSecrets?: boolean;
}

const tooBig = (what: string, total: number) =>
  ApplicationFailure.nonRetryable(`the suite's ${what} total ${total} bytes; a run's ${what} must fit in ${maxInputBytes} bytes (1 MiB): shrink or drop some`, nonRetryableTypes.badInput);
const size = (entries: Record<string, string>) => Object.entries(entries).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v), 0);

export function runResourceActivities(c: Clients) {
  return {
    async ensureRunRbac(run: RunRef & { clusterRoles: string[] }): Promise<Record<string, string>> {
      const accounts: Record<string, string> = {};
      for (const role of [...new Set(run.clusterRoles)]) {
        await apply(c, buildServiceAccount(run, role));
        await apply(c, buildClusterRoleBinding(run, role));
        accounts[role] = serviceAccountName(run.runId, role);
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
      if (size(run.inputs) > maxInputBytes) throw tooBig('input files', size(run.inputs));
      if (size(secrets) > maxInputBytes) throw tooBig('secret-marked env values', size(secrets));
      if (Object.keys(secrets).length > 0) await apply(c, buildSecretEnvSecret(run, secrets));
      if (files.length === 0) return undefined;
      await apply(c, buildInputsConfigMap(run, run.inputs));
      return { configMap: inputsConfigMapName(run.runId), files };
    },

    /** Keeps the report in a ConfigMap (labelled ours, so it is never unseen; delete it when done). */
    async storeReport(run: RunRef & { report: CtrfReport }): Promise<{ configMap: string }> {
      await apply(c, buildReportConfigMap(run, JSON.stringify(run.report)));
      return { configMap: reportConfigMapName(run.runId) };
    },

    async cleanupRunResources(run: RunResources): Promise<void> {
      const { namespace, runId } = run;
      const deletions: [string, () => Promise<unknown>][] = [];
      for (const role of [...new Set(run.clusterRoles)]) {
        const sa = serviceAccountName(runId, role);
        const crb = clusterRoleBindingName(runId, role);
        deletions.push([`deleting ClusterRoleBinding ${crb}`, () => c.rbac.deleteClusterRoleBinding({ name: crb })]);
        deletions.push([`deleting ServiceAccount ${sa} in namespace ${namespace}`, () => c.core.deleteNamespacedServiceAccount({ name: sa, namespace })]);
      }
      if (Object.keys(run.inputs).length > 0) {
        const cm = inputsConfigMapName(runId);
        deletions.push([`deleting ConfigMap ${cm} in namespace ${namespace}`, () => c.core.deleteNamespacedConfigMap({ name: cm, namespace })]);
      }
      if (run.hasSecrets) {
        const secret = secretEnvName(runId);
        deletions.push([`deleting Secret ${secret} in namespace ${namespace}`, () => c.core.deleteNamespacedSecret({ name: secret, namespace })]);
      }
      const results = await Promise.allSettled(deletions.map(([, del]) => del()));
      const failures = results.flatMap((r, i) => (r.status === 'rejected' && !isNotFound(r.reason) ? [toFailure(r.reason, deletions[i][0])] : []));
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw ApplicationFailure.retryable(failures.map((f) => f.message).join('\n'), 'CleanupFailed');
    },
  };
}
