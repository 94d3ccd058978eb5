// Deterministic Kubernetes names for a run's objects. A run is a Temporal workflow ID plus the
// execution that owns it (a closed workflow ID may be started again), so names carry a key hashed
// from both (the run key); the full identity is kept in annotations. See docs/decisions/run-identity.md.
import { shortHash } from './hash';
import { sha256Hex } from './sha256';

/**
 * Whose objects these are. `execution` is the Temporal first-execution run ID; runs started before
 * it existed have none, and keep their old (FNV) keys so their cleanup finds what they made.
 */
export interface RunIdentity {
  runId: string;
  execution?: string;
}

/**
 * 64 bits of SHA-256 over the workflow ID and the execution. The execution is a UUID Temporal picks,
 * so nobody can search for a run ID whose key collides with another run's.
 */
export const runKey = (run: RunIdentity): string => (run.execution === undefined ? shortHash(run.runId, 10) : sha256Hex(`${run.runId}\u0000${run.execution}`).slice(0, 16));

const maxName = 63;

/** A DNS-1123 label made of `parts`, shortened with a hash when it would be too long (within one run's key: no cross-run collision). */
export function dnsLabel(...parts: string[]): string {
  const name = parts.join('-');
  if (name.length <= maxName) return name;
  const head = name.slice(0, maxName - 9).replace(/-+$/, '');
  return `${head}-${shortHash(name, 8)}`;
}

/**
 * A validator's Job. A retry (attempt 2 and on) is a new Job under a key hashed from the run's key
 * and the attempt: no validator's name, whatever it is, can give another's retry the same name.
 */
export const jobName = (run: RunIdentity, validator: string, attempt = 1) =>
  dnsLabel('verdict', attempt === 1 ? runKey(run) : sha256Hex(`${runKey(run)}\u0000attempt ${attempt}`).slice(0, 16), validator);
export function serviceAccountName(run: RunIdentity, clusterRole: string): string {
  const safe = clusterRole.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  // Roles that differ only in characters a name cannot hold must not share an account.
  return safe === clusterRole ? dnsLabel('verdict', runKey(run), safe) : dnsLabel('verdict', runKey(run), safe, shortHash(clusterRole, 4));
}
export const clusterRoleBindingName = serviceAccountName;
export const inputsConfigMapName = (run: RunIdentity) => dnsLabel('verdict', runKey(run), 'inputs');
export const reportConfigMapName = (run: RunIdentity) => dnsLabel('verdict', runKey(run), 'report');
/** The run's Secret of secret-marked env values. */
export const secretEnvName = (run: RunIdentity) => dnsLabel('verdict', runKey(run), 'secret-env');

/**
 * A validator's child workflow ID, `<run>/<validator>`, and `<run>/<validator>/<attempt>` for a
 * retry. Validator names are DNS labels (no "/"): two runs' children can never share an ID.
 */
export const validatorWorkflowId = (runId: string, validator: string, attempt = 1) => (attempt === 1 ? `${runId}/${validator}` : `${runId}/${validator}/${attempt}`);
