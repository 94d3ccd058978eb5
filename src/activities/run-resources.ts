// The run's own objects besides Jobs: per-run ServiceAccounts and ClusterRoleBindings (one per
// ClusterRole the suite uses) and the input files ConfigMap. Applying is idempotent; cleanup
// treats NotFound as done and reports every other failure at once.
import { ApplicationFailure } from '@temporalio/common';
import type { Clients } from '../k8s/client';
import { apply } from '../k8s/apply';
import { isNotFound, nonRetryableTypes, toFailure } from '../k8s/errors';
import { utf8Bytes } from '../core/bytes';
import { clusterRoleBindingName, inputsConfigMapName, reportConfigMapName, serviceAccountName } from '../core/names';
import type { CtrfReport } from '../core/ctrf';
import { buildClusterRoleBinding, buildInputsConfigMap, buildReportConfigMap, buildServiceAccount, type RunRef } from '../core/rbac';
import { maxInputBytes } from '../core/spec';

export interface RunResources extends RunRef {
  clusterRoles: string[];
  /** Input files by name; empty when the suite has none. */
  inputs: Record<string, string>;
}

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

    async ensureInputs(run: RunRef & { inputs: Record<string, string> }): Promise<{ configMap: string; files: string[] } | undefined> {
      const files = Object.keys(run.inputs).sort();
      if (files.length === 0) return undefined;
      const total = files.reduce((n, f) => n + utf8Bytes(f) + utf8Bytes(run.inputs[f]), 0);
      if (total > maxInputBytes) {
        throw ApplicationFailure.nonRetryable(`the suite's input files total ${total} bytes; a run's inputs must fit in ${maxInputBytes} bytes (1 MiB): shrink or drop some`, nonRetryableTypes.badInput);
      }
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
      const results = await Promise.allSettled(deletions.map(([, del]) => del()));
      const failures = results.flatMap((r, i) => (r.status === 'rejected' && !isNotFound(r.reason) ? [toFailure(r.reason, deletions[i][0])] : []));
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw ApplicationFailure.retryable(failures.map((f) => f.message).join('\n'), 'CleanupFailed');
    },
  };
}
