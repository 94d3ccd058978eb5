// Deterministic Kubernetes names for a run's objects. A run ID is any Temporal workflow ID, so
// names use a short hash of it (the run key); the full run ID is kept in an annotation.
import { shortHash } from './hash';

export const runKey = (runId: string): string => shortHash(runId, 10);

const maxName = 63;

/** A DNS-1123 label made of `parts`, shortened with a hash when it would be too long. */
export function dnsLabel(...parts: string[]): string {
  const name = parts.join('-');
  if (name.length <= maxName) return name;
  const head = name.slice(0, maxName - 9).replace(/-+$/, '');
  return `${head}-${shortHash(name, 8)}`;
}

export const jobName = (runId: string, validator: string) => dnsLabel('verdict', runKey(runId), validator);
export function serviceAccountName(runId: string, clusterRole: string): string {
  const safe = clusterRole.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  // Roles that differ only in characters a name cannot hold must not share an account.
  return safe === clusterRole ? dnsLabel('verdict', runKey(runId), safe) : dnsLabel('verdict', runKey(runId), safe, shortHash(clusterRole, 4));
}
export const clusterRoleBindingName = serviceAccountName;
export const inputsConfigMapName = (runId: string) => dnsLabel('verdict', runKey(runId), 'inputs');
export const reportConfigMapName = (runId: string) => dnsLabel('verdict', runKey(runId), 'report');
/** The run's Secret of secret-marked env values. */
export const secretEnvName = (runId: string) => dnsLabel('verdict', runKey(runId), 'secret-env');
