// Builds the Kubernetes Job for one validator. Pure and deterministic: the same spec and run give
// the same object, so applying it again is a no-op and a changed spec is detectable by hash.
import type { V1EnvVar, V1Job, V1PodSecurityContext, V1SecurityContext } from '@kubernetes/client-node';
import { parseDuration } from './duration';
import { shortHash } from './hash';
import { identityAnnotations, labelKeys, managedBy } from './labels';
import { runKey, type RunIdentity } from './names';
import { secretEnvKey } from './secrets';
import type { ValidatorSpec } from './spec';

export interface JobContext extends RunIdentity {
  namespace: string;
  jobName: string;
  serviceAccount: string;
  /** The run's input files ConfigMap and the file names in it, when the suite has inputs. */
  inputs?: { configMap: string; files: string[] };
  /** The run's Secret of secret-marked env values, when the validator has any: the pod spec only references it. */
  secret?: string;
}

export const containerName = 'validator';
export const inputsDir = '/verdict/inputs';
export const specHashAnnotation = 'verdict.dev/spec-hash';
/**
 * Kubernetes' own deadlines are backstops for when Verdict cannot act (a worker or Temporal outage).
 * The pod's deadline, past Verdict's timeout, kills the container but keeps the pod, its status and
 * its logs; the Job's much later one only clears a pod that never started; the TTL is far past any
 * outage. Runs started before these existed (no execution in their identity) keep the old shape:
 * a Job deadline that deletes the pod after 60 s, and a one-hour TTL.
 */
export const backstops = {
  podDeadlineSeconds: 60,
  jobDeadlineSeconds: 24 * 3600,
  ttlAfterFinishedSeconds: 7 * 24 * 3600,
  legacy: { jobDeadlineSeconds: 60, ttlAfterFinishedSeconds: 3600 },
} as const;

export function runLabels(run: RunIdentity): Record<string, string> {
  return { [managedBy.key]: managedBy.value, 'app.kubernetes.io/part-of': 'verdict', [labelKeys.run]: runKey(run) };
}

export function validatorLabels(run: RunIdentity, v: ValidatorSpec): Record<string, string> {
  return { ...runLabels(run), 'app.kubernetes.io/name': 'verdict-validator', 'app.kubernetes.io/component': 'validator', [labelKeys.validator]: v.name, [labelKeys.phase]: v.phase };
}

/** Environment variable naming an input file: snapshot.yaml -> VERDICT_INPUT_SNAPSHOT_YAML. */
export const inputEnvName = (file: string) => `VERDICT_INPUT_${file.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;

function env(v: ValidatorSpec, ctx: JobContext): V1EnvVar[] {
  const own: V1EnvVar[] = [
    { name: 'VERDICT_RUN_ID', value: ctx.runId },
    { name: 'VERDICT_VALIDATOR', value: v.name },
    { name: 'VERDICT_PHASE', value: v.phase },
    { name: 'VERDICT_NAMESPACE', value: ctx.namespace },
  ];
  if (ctx.inputs) {
    own.push({ name: 'VERDICT_INPUTS_DIR', value: inputsDir });
    for (const f of ctx.inputs.files) own.push({ name: inputEnvName(f), value: `${inputsDir}/${f}` });
  }
  const user = v.env.map((e): V1EnvVar => {
    if ('value' in e && e.secret) return { name: e.name, valueFrom: { secretKeyRef: { name: secretName(v, ctx, e.name), key: secretEnvKey(v.name, e.name) } } };
    if ('value' in e) return { name: e.name, value: e.value };
    if ('secretKeyRef' in e) return { name: e.name, valueFrom: { secretKeyRef: e.secretKeyRef } };
    return { name: e.name, valueFrom: { configMapKeyRef: e.configMapKeyRef } };
  });
  return [...own, ...user];
}

/** A secret-marked value is never written into the pod spec: without the run's Secret there is no Job. */
function secretName(v: ValidatorSpec, ctx: JobContext, variable: string): string {
  if (ctx.secret) return ctx.secret;
  throw new Error(`validator ${v.name}: env ${variable} is marked secret, but the Job context names no Secret holding it (JobContext.secret)`);
}

// The "restricted" Pod Security Standard, unless the suite opts a validator into privilege.
function securityContexts({ privileged, runAsUser }: ValidatorSpec): { pod: V1PodSecurityContext; container: V1SecurityContext } {
  if (privileged) return { pod: {}, container: { privileged: true } };
  return {
    pod: { runAsNonRoot: true, runAsUser, seccompProfile: { type: 'RuntimeDefault' } },
    container: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  };
}

const asQuantities = (r?: Record<string, string | number>) => (r ? Object.fromEntries(Object.entries(r).map(([k, q]) => [k, String(q)])) : undefined);

export function buildJob(v: ValidatorSpec, ctx: JobContext): V1Job {
  const labels = validatorLabels(ctx, v);
  const security = securityContexts(v);
  const timeoutSeconds = parseDuration(v.timeout)!;
  const legacy = ctx.execution === undefined;
  const job: V1Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: ctx.jobName, namespace: ctx.namespace, labels, annotations: identityAnnotations(ctx) },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: timeoutSeconds + (legacy ? backstops.legacy.jobDeadlineSeconds : backstops.jobDeadlineSeconds),
      ttlSecondsAfterFinished: legacy ? backstops.legacy.ttlAfterFinishedSeconds : backstops.ttlAfterFinishedSeconds,
      template: {
        metadata: { labels: { ...v.podLabels, ...labels }, annotations: { ...v.podAnnotations, ...identityAnnotations(ctx) } },
        spec: {
          restartPolicy: 'Never',
          activeDeadlineSeconds: legacy ? undefined : timeoutSeconds + backstops.podDeadlineSeconds,
          serviceAccountName: ctx.serviceAccount,
          terminationGracePeriodSeconds: 30,
          securityContext: security.pod,
          nodeSelector: v.nodeSelector,
          tolerations: v.tolerations,
          affinity: v.affinity,
          runtimeClassName: v.runtimeClassName,
          imagePullSecrets: v.imagePullSecrets?.map((name) => ({ name })),
          containers: [
            {
              name: containerName,
              image: v.image,
              command: v.command,
              args: v.args,
              env: env(v, ctx),
              resources: v.resources ? { requests: asQuantities(v.resources.requests), limits: asQuantities(v.resources.limits) } : undefined,
              securityContext: security.container,
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'FallbackToLogsOnError',
              volumeMounts: ctx.inputs ? [{ name: 'inputs', mountPath: inputsDir, readOnly: true }] : undefined,
            },
          ],
          volumes: ctx.inputs ? [{ name: 'inputs', configMap: { name: ctx.inputs.configMap } }] : undefined,
        },
      },
    },
  };
  const clean = dropUndefined(job);
  clean.metadata!.annotations![specHashAnnotation] = shortHash(JSON.stringify(clean.spec), 16);
  return clean;
}

/** A copy without undefined fields: what the API server would store, so hashes compare equal. */
export function dropUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
