// Labels on every object Verdict creates, so nothing of ours can leak unseen.
export const managedBy = { key: 'app.kubernetes.io/managed-by', value: 'verdict' } as const;
export const managedBySelector = `${managedBy.key}=${managedBy.value}`;

export const labelKeys = {
  run: 'verdict.dev/run',
  validator: 'verdict.dev/validator',
  phase: 'verdict.dev/phase',
  /** On cluster-scoped objects: the namespace of the run that owns them. */
  namespace: 'verdict.dev/namespace',
} as const;

/** The full run ID (a Temporal workflow ID can be longer than a label value may be). */
export const runIdAnnotation = 'verdict.dev/run-id';

/**
 * The Temporal run ID of the execution that created the object. A workflow ID may be started again
 * once closed; this tells the two executions' objects apart (absent on objects made before it existed).
 */
export const executionAnnotation = 'verdict.dev/execution';

/** The annotations naming the run (and execution) an object belongs to: what ownership checks compare. */
export function identityAnnotations(run: { runId: string; execution?: string }): Record<string, string> {
  return run.execution === undefined ? { [runIdAnnotation]: run.runId } : { [runIdAnnotation]: run.runId, [executionAnnotation]: run.execution };
}

/** Why `metadata` does not show an object of `run`, or undefined when it does. */
export function notOwnedBy(metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined, run: { runId: string; execution?: string }): string | undefined {
  if (metadata?.labels?.[managedBy.key] !== managedBy.value) return 'it is not managed by Verdict';
  const owner = metadata.annotations?.[runIdAnnotation];
  if (owner !== run.runId) return `it belongs to run ${owner}`;
  const execution = metadata.annotations?.[executionAnnotation];
  if (execution !== run.execution) return `it belongs to an earlier execution of run ${owner}${execution ? ` (${execution})` : ''}`;
  return undefined;
}
