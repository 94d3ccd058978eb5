// The suite file and its validators, validated with zod. The same schema checks a suite in the
// CLI and again inside the run workflow. Unknown fields are errors: a typo must not be ignored.
import { z } from 'zod';
import { parseDuration } from './duration';
import { utf8Bytes } from './bytes';
import { defaultHistoryRuns } from './history';
import { inputEnvName } from './job';
import {
  configMapKeyProblem,
  containerResourceNameProblem,
  dnsSubdomainProblem,
  envVarNameProblem,
  imageProblem,
  isExtendedResource,
  labelValueProblem,
  qualifiedNameProblem,
  quantityProblem,
  quantityValue,
  rbacNameProblem,
} from './k8s-validation';
import { maxNotifyRules, notifyRuleSchema } from './notify';
import { maxRetries } from './retries';
import { secretEnvData } from './secrets';

export const phases = ['readiness', 'deployment', 'performance', 'conformance'] as const;
export type Phase = (typeof phases)[number];

const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit');

const duration = z.string().refine((s) => parseDuration(s) !== undefined, 'must be a duration such as "90s", "5m" or "1h30m"');

/** A string checked by one of Kubernetes' rules (k8s-validation.ts), with the fix in its message. */
const checked = (problem: (s: string) => string | undefined, what: string) =>
  z.string().superRefine((s, ctx) => {
    const p = problem(s);
    if (p) ctx.addIssue({ code: 'custom', message: `${what} ${p}` });
  });

const quantity = z.union([z.number(), z.string()]).superRefine((q, ctx) => {
  const p = quantityProblem(q);
  if (p) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(q)} ${p}` });
});
const resourceList = z.record(z.string(), quantity).superRefine((list, ctx) => {
  for (const [name, q] of Object.entries(list)) {
    const p = containerResourceNameProblem(name);
    if (p) ctx.addIssue({ code: 'custom', path: [name], message: `resource name ${p}` });
    else if (isExtendedResource(name) && !Number.isInteger(quantityValue(q))) ctx.addIssue({ code: 'custom', path: [name], message: 'an extended resource is counted in whole units: use an integer such as "1"' });
  }
});

/** Kubernetes labels: keys qualified names, values label values (podLabels, nodeSelector). */
const labelMap = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const [k, v] of Object.entries(labels)) {
    const key = qualifiedNameProblem(k);
    if (key) ctx.addIssue({ code: 'custom', path: [k], message: `label key ${key}` });
    const value = labelValueProblem(v);
    if (value) ctx.addIssue({ code: 'custom', path: [k], message: value });
  }
});

/** Room left in a pod's 256 KiB of annotations for Verdict's own (the run ID). */
export const maxPodAnnotationBytes = 256 * 1024 - 4096;
const annotationMap = z.record(z.string(), z.string()).superRefine((annotations, ctx) => {
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    const key = qualifiedNameProblem(k.toLowerCase());
    if (key) ctx.addIssue({ code: 'custom', path: [k], message: `annotation key ${key}` });
    total += utf8Bytes(k) + utf8Bytes(v);
  }
  if (total > maxPodAnnotationBytes) ctx.addIssue({ code: 'custom', message: `annotations take ${total} bytes; Kubernetes allows 256 KiB per object and Verdict keeps 4 KiB for its own: at most ${maxPodAnnotationBytes} bytes (move large data to an input file)` });
});

/** Free-form labels recorded only in the report (never on a Kubernetes object): bounded so the report stays small. */
export const maxReportLabelBytes = 16 * 1024;
export const reportLabelsSchema = z.record(z.string().min(1), z.string()).superRefine((labels, ctx) => {
  const total = Object.entries(labels).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v), 0);
  if (total > maxReportLabelBytes) ctx.addIssue({ code: 'custom', message: `labels take ${total} bytes; at most ${maxReportLabelBytes} (they are copied into the report): shorten or drop some` });
});

const keyRef = z.strictObject({
  name: checked(dnsSubdomainProblem, 'the name of a Secret or ConfigMap'),
  key: checked(configMapKeyProblem, 'a Secret or ConfigMap key'),
  optional: z.boolean().optional(),
});
const envName = checked(envVarNameProblem, 'an environment variable name');

/**
 * A plain value, or a reference: referenced values stay in the cluster and never enter a workflow.
 * A plain value marked `secret` is only accepted through a payload codec (so history holds it
 * encrypted), reaches the pod through the run's Secret (the pod spec holds only a reference) and is
 * redacted from the validator's message and stdout.
 */
export const envVarSchema = z.union([
  z.strictObject({ name: envName, value: z.string(), secret: z.boolean().optional() }),
  z.strictObject({ name: envName, secretKeyRef: keyRef }),
  z.strictObject({ name: envName, configMapKeyRef: keyRef }),
]);

export const tolerationSchema = z
  .strictObject({
    key: z.string().optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
    tolerationSeconds: z.number().int().optional(),
  })
  .superRefine((t, ctx) => {
    const add = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const key = t.key ? qualifiedNameProblem(t.key) : undefined;
    if (key) add('key', `a toleration key ${key}`);
    if (!t.key && t.operator !== 'Exists') add('operator', 'must be "Exists" when the key is empty (a toleration of every taint); or set a key');
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') add('effect', 'must be "NoExecute" when tolerationSeconds is set; or drop tolerationSeconds');
    if (t.operator === 'Exists' && t.value) add('value', 'must be empty when the operator is "Exists"; or use operator "Equal"');
    const value = t.operator !== 'Exists' && t.value ? labelValueProblem(t.value) : undefined;
    if (value) add('value', value);
  });

/** The kernel refuses a longer single argument or environment string (MAX_ARG_STRLEN), so the container could not start. */
export const maxArgBytes = 128 * 1024;
/** Command, args and plain env values of one validator: keeps its Job far below etcd's 1.5 MiB object limit. */
export const maxValidatorTextBytes = 512 * 1024;
const arg = z.string().refine((s) => utf8Bytes(s) <= maxArgBytes, `must be at most ${maxArgBytes} bytes (the kernel's limit for one argument); pass large data as an input file`);

export const validatorSchema = z.strictObject({
  name: dnsLabel,
  phase: z.enum(phases),
  description: z.string().optional(),
  image: checked(imageProblem, 'the image'),
  command: z.array(arg).optional(),
  args: z.array(arg).optional(),
  env: z.array(envVarSchema).default([]),
  timeout: duration.default('5m'),
  /** How often an `other` outcome (infrastructure: stuck, evicted, deleted...) is retried as a new Job; `failed` never is. */
  retries: z.number().int().min(0).max(maxRetries, `must be at most ${maxRetries}: each retry is a new Job with its own timeout`).default(0),
  resources: z.strictObject({ requests: resourceList.optional(), limits: resourceList.optional() }).optional(),
  nodeSelector: labelMap.optional(),
  tolerations: z.array(tolerationSchema).optional(),
  // Passed through to the pod spec as written; the API server validates its structure.
  affinity: z.record(z.string(), z.unknown()).optional(),
  runtimeClassName: checked(dnsSubdomainProblem, 'a RuntimeClass name').optional(),
  privileged: z.boolean().default(false),
  /** The user the container runs as: for images whose user is root or named (runAsNonRoot needs a numeric one). */
  runAsUser: z.number().int().min(1, 'must be a non-root user ID (1 or more); to run as root, set privileged: true').max(2147483647, 'must be at most 2147483647').optional(),
  imagePullSecrets: z.array(checked(dnsSubdomainProblem, 'the name of a Secret')).optional(),
  podLabels: labelMap.optional(),
  podAnnotations: annotationMap.optional(),
  expectedTests: z.array(z.string().min(1)).optional(),
  /** The ClusterRole the validator's ServiceAccount is bound to. */
  clusterRole: checked(rbacNameProblem, 'a ClusterRole name').min(1).default('view'),
}).superRefine((v, ctx) => {
  const text = [...(v.command ?? []), ...(v.args ?? []), ...v.env.map((e) => ('value' in e ? e.value : ''))].reduce((n, s) => n + utf8Bytes(s), 0);
  if (text > maxValidatorTextBytes) ctx.addIssue({ code: 'custom', path: ['args'], message: `command, args and env values take ${text} bytes; at most ${maxValidatorTextBytes}: pass large data as an input file` });
  v.env.forEach((e, j) => {
    if ('value' in e && utf8Bytes(e.value) > maxArgBytes) ctx.addIssue({ code: 'custom', path: ['env', j, 'value'], message: `must be at most ${maxArgBytes} bytes (the kernel's limit for one variable); pass large data as an input file` });
  });
  const { requests = {}, limits = {} } = v.resources ?? {};
  for (const [name, limit] of Object.entries(limits)) {
    const request = requests[name];
    if (request !== undefined && (quantityValue(request) ?? 0) > (quantityValue(limit) ?? Infinity)) ctx.addIssue({ code: 'custom', path: ['resources', 'requests', name], message: `the request must not exceed the limit (${String(limit)})` });
  }
});

export type ValidatorSpec = z.output<typeof validatorSchema>;
export type ValidatorInput = z.input<typeof validatorSchema>;

/** How long a pod may stay stuck before the validator is given up on, by cause. */
export const stuckThresholdsSchema = z
  .strictObject({
    unschedulable: duration.default('2m'),
    imagePull: duration.default('2m'),
    containerConfig: duration.default('1m'),
    /** How long the Job controller may be refused a pod (quota, admission) before the validator is given up on. */
    podCreation: duration.default('30s'),
  })
  .default({ unschedulable: '2m', imagePull: '2m', containerConfig: '1m', podCreation: '30s' });

export type StuckThresholds = z.output<typeof stuckThresholdsSchema>;

export const maxInputBytes = 1024 * 1024;

/** Validators per suite: what the report budget holds at its worst (docs/decisions/suite-size-limit.md). */
export const maxValidators = 500;

/** Everything a suite's JSON may take: it is the run workflow's input, one Temporal payload (2 MB at most). */
export const maxSuiteBytes = 1536 * 1024;
/** A Secret holds at most 1 MiB: the run's Secret of secret-marked values. */
export const maxSecretBytes = 1024 * 1024;

const sizeOf = (entries: Record<string, string>) => Object.entries(entries).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v), 0);

const suiteObject = z.strictObject({
    name: dnsLabel,
    namespace: dnsLabel.default('verdict'),
    validators: z
      .array(validatorSchema)
      .min(1, 'a suite needs at least one validator')
      .max(maxValidators, `a suite may have at most ${maxValidators} validators (so its report fits one Temporal payload); split it into several suites`),
    /** Files every validator sees read-only under /verdict/inputs, by name. */
    inputs: z.record(z.string(), z.string()).default({}),
    failFast: z.boolean().default(true),
    /** How long the whole run may take ("6h"): then what is unfinished ends `other` (RunDeadlineExceeded) and is cleaned up. */
    deadline: duration.optional(),
    concurrency: z.number().int().min(1).max(256).default(4),
    /** Runs of suites that set this never overlap on a cluster: each waits its turn for the cluster's lock (src/core/exclusive.ts). */
    exclusive: z.boolean().default(false),
    stuckAfter: stuckThresholdsSchema,
    keepResources: z.boolean().default(false),
    /** Binding cluster-admin is refused unless this is set; the report records it. */
    allowClusterAdmin: z.boolean().default(false),
    report: z.strictObject({ configMap: z.boolean().default(false) }).default({ configMap: false }),
    /** How many of its runs the suite's history keeps on each cluster (`verdict history`, diffs, flakiness). */
    history: z.strictObject({ runs: z.number().int().min(1).max(1000).default(defaultHistoryRuns) }).default({ runs: defaultHistoryRuns }),
    labels: reportLabelsSchema.default({}),
    /** Where a message about each run goes, and when (src/core/notify.ts). */
    notify: z.array(notifyRuleSchema).max(maxNotifyRules, `at most ${maxNotifyRules} notification rules`).default([]),
});

export const suiteSchema = suiteObject.superRefine((suite, ctx) => {
    suiteWideProblems(suite).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
    const seen = new Set<string>();
    suite.validators.forEach((v, i) => {
      if (seen.has(v.name)) ctx.addIssue({ code: 'custom', path: ['validators', i, 'name'], message: `"${v.name}" is used by another validator; names must be unique in a suite` });
      seen.add(v.name);
      if (v.clusterRole === 'cluster-admin' && !suite.allowClusterAdmin) {
        ctx.addIssue({ code: 'custom', path: ['validators', i, 'clusterRole'], message: 'binding cluster-admin needs "allowClusterAdmin: true" on the suite' });
      }
    });
  });

/** Rules across fields: input file names and sizes, the Secret of secret values, the whole input's size. */
function suiteWideProblems(suite: z.output<typeof suiteObject>): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const inputs = sizeOf(suite.inputs);
  if (inputs > maxInputBytes) problems.push({ path: ['inputs'], message: `input files take ${inputs} bytes; all together they must fit one ConfigMap, at most ${maxInputBytes} bytes (1 MiB): make them smaller or fetch large data from the validator` });
  const envNames = new Map<string, string>();
  for (const file of Object.keys(suite.inputs)) {
    const name = configMapKeyProblem(file);
    if (name) problems.push({ path: ['inputs', file], message: `an input file name ${name}` });
    const other = envNames.get(inputEnvName(file));
    if (other !== undefined) problems.push({ path: ['inputs', file], message: `"${file}" and "${other}" both become $${inputEnvName(file)}: rename one` });
    envNames.set(inputEnvName(file), file);
  }
  const secrets = sizeOf(secretEnvData(suite));
  if (secrets > maxSecretBytes) problems.push({ path: ['validators'], message: `env values marked secret take ${secrets} bytes; they must fit one Secret, at most ${maxSecretBytes} bytes (1 MiB): keep large secrets in a Secret of your own and use secretKeyRef` });
  const total = utf8Bytes(JSON.stringify(suite));
  if (total > maxSuiteBytes) problems.push({ path: [], message: `the suite takes ${total} bytes as JSON; a run's input must be at most ${maxSuiteBytes} bytes (Temporal's payload limit is 2 MB): make input files smaller or split the suite` });
  return problems;
}

export type Suite = z.output<typeof suiteSchema>;
export type SuiteInput = z.input<typeof suiteSchema>;

/** Every problem in one message, each on its own line, named by field path. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('\n');
}
