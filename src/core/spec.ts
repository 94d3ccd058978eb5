// The suite file and its validators, validated with zod. The same schema checks a suite in the
// CLI and again inside the run workflow. Unknown fields are errors: a typo must not be ignored.
import { z } from 'zod';
import { parseDuration } from './duration';
import { utf8Bytes } from './bytes';

export const phases = ['readiness', 'deployment', 'performance', 'conformance'] as const;
export type Phase = (typeof phases)[number];

const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit');

const duration = z.string().refine((s) => parseDuration(s) !== undefined, 'must be a duration such as "90s", "5m" or "1h30m"');

const quantity = z.union([z.number().nonnegative(), z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/, 'must be a Kubernetes quantity such as "500m", "2", "1Gi"')]);
const resourceList = z.record(z.string().min(1), quantity);
const stringMap = z.record(z.string().min(1), z.string());

const keyRef = z.strictObject({ name: dnsLabel.or(z.string().min(1)), key: z.string().min(1), optional: z.boolean().optional() });

/**
 * A plain value, or a reference: referenced values stay in the cluster and never enter a workflow.
 * A plain value marked `secret` is only accepted through a payload codec (so history holds it
 * encrypted), reaches the pod through the run's Secret (the pod spec holds only a reference) and is
 * redacted from the validator's message and stdout.
 */
export const envVarSchema = z.union([
  z.strictObject({ name: z.string().min(1), value: z.string(), secret: z.boolean().optional() }),
  z.strictObject({ name: z.string().min(1), secretKeyRef: keyRef }),
  z.strictObject({ name: z.string().min(1), configMapKeyRef: keyRef }),
]);

export const tolerationSchema = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().optional(),
});

export const validatorSchema = z.strictObject({
  name: dnsLabel,
  phase: z.enum(phases),
  description: z.string().optional(),
  image: z.string().min(1, 'must name a container image'),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(envVarSchema).default([]),
  timeout: duration.default('5m'),
  resources: z.strictObject({ requests: resourceList.optional(), limits: resourceList.optional() }).optional(),
  nodeSelector: stringMap.optional(),
  tolerations: z.array(tolerationSchema).optional(),
  // Passed through to the pod spec as written; the API server validates its structure.
  affinity: z.record(z.string(), z.unknown()).optional(),
  runtimeClassName: z.string().min(1).optional(),
  privileged: z.boolean().default(false),
  /** The user the container runs as: for images whose user is root or named (runAsNonRoot needs a numeric one). */
  runAsUser: z.number().int().min(1, 'must be a non-root user ID (1 or more); to run as root, set privileged: true').optional(),
  imagePullSecrets: z.array(z.string().min(1)).optional(),
  podLabels: stringMap.optional(),
  podAnnotations: stringMap.optional(),
  expectedTests: z.array(z.string().min(1)).optional(),
  /** The ClusterRole the validator's ServiceAccount is bound to. */
  clusterRole: z.string().min(1).default('view'),
});

export type ValidatorSpec = z.output<typeof validatorSchema>;
export type ValidatorInput = z.input<typeof validatorSchema>;

/** How long a pod may stay stuck before the validator is given up on, by cause. */
export const stuckThresholdsSchema = z
  .strictObject({
    unschedulable: duration.default('2m'),
    imagePull: duration.default('2m'),
    containerConfig: duration.default('1m'),
  })
  .default({ unschedulable: '2m', imagePull: '2m', containerConfig: '1m' });

export type StuckThresholds = z.output<typeof stuckThresholdsSchema>;

export const maxInputBytes = 1024 * 1024;

const inputFileName = z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a plain file name such as "snapshot.yaml"');

export const suiteSchema = z
  .strictObject({
    name: dnsLabel,
    namespace: dnsLabel.default('verdict'),
    validators: z.array(validatorSchema).min(1, 'a suite needs at least one validator'),
    /** Files every validator sees read-only under /verdict/inputs, by name. */
    inputs: z
      .record(inputFileName, z.string().refine((s) => utf8Bytes(s) <= maxInputBytes, `must be at most ${maxInputBytes} bytes (1 MiB)`))
      .default({}),
    failFast: z.boolean().default(true),
    concurrency: z.number().int().min(1).max(256).default(4),
    stuckAfter: stuckThresholdsSchema,
    keepResources: z.boolean().default(false),
    /** Binding cluster-admin is refused unless this is set; the report records it. */
    allowClusterAdmin: z.boolean().default(false),
    report: z.strictObject({ configMap: z.boolean().default(false) }).default({ configMap: false }),
    labels: stringMap.default({}),
  })
  .superRefine((suite, ctx) => {
    const seen = new Set<string>();
    suite.validators.forEach((v, i) => {
      if (seen.has(v.name)) ctx.addIssue({ code: 'custom', path: ['validators', i, 'name'], message: `"${v.name}" is used by another validator; names must be unique in a suite` });
      seen.add(v.name);
      if (v.clusterRole === 'cluster-admin' && !suite.allowClusterAdmin) {
        ctx.addIssue({ code: 'custom', path: ['validators', i, 'clusterRole'], message: 'binding cluster-admin needs "allowClusterAdmin: true" on the suite' });
      }
    });
  });

export type Suite = z.output<typeof suiteSchema>;
export type SuiteInput = z.input<typeof suiteSchema>;

/** Every problem in one message, each on its own line, named by field path. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('\n');
}
