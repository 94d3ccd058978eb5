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
