// Every failure type Verdict's activities and workflows throw, in one place: activity retry
// policies, the workflow and the tests name them from here.
export const failureTypes = {
  /** 401/403 from Kubernetes: the worker's identity lacks a permission. */
  forbidden: 'KubernetesForbidden',
  /** 400/422 from Kubernetes: the API server refused the object. */
  invalid: 'KubernetesInvalid',
  /** A name taken by an object that is not this run's. */
  conflict: 'KubernetesConflict',
  /** Input the activity cannot act on, whatever the retries. */
  badInput: 'BadInput',
  /** The run workflow's input failed validation. */
  invalidSuite: 'InvalidSuite',
  /** Secret-marked env values reached Temporal unencrypted: refused, and the values must be rotated. */
  secretInClear: 'SecretInClear',
  /** The Kubernetes API did not answer (connection refused, reset, timed out). */
  unavailable: 'KubernetesUnavailable',
  /** The run's namespace is being deleted: retried until it is gone and can be created again. */
  namespaceTerminating: 'NamespaceTerminating',
  /** A Job this activity just found taken was deleted before it could be read. */
  jobGone: 'JobGone',
  /** The run could not be prepared, and cleaning up after it left something behind: the message says both. */
  setupFailed: 'SetupFailed',
  /** The suite asks for more than the worker's policy allows; the message lists every violation by field path. */
  policyViolation: 'PolicyViolation',
  /** An activity reached a worker of another cluster than its run names (src/core/cluster.ts): refused, nothing done. */
  wrongCluster: 'WrongCluster',
  /** Several of the run's objects could not be deleted; the message lists each. */
  cleanupFailed: 'CleanupFailed',
  /** The suite's history holds payloads this worker cannot decode (another codec key, or none): the report names it. */
  historyUnreadable: 'HistoryUnreadable',
  /** A notification could not be delivered, or its receiver refused it; the message names the rule, never the URL. */
  notificationFailed: 'NotificationFailed',
} as const;

/** Retrying cannot fix these: activities fail at once. */
export const nonRetryableFailureTypes: string[] = [failureTypes.forbidden, failureTypes.invalid, failureTypes.conflict, failureTypes.badInput];

/** Any other HTTP status from Kubernetes (5xx, 429...): retried. */
export const httpFailureType = (code: number) => `KubernetesHttp${code}`;
