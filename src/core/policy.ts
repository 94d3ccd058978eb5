// The operator's policy: what runs may do on a worker's cluster, whoever started them. Each rule
// is a worker setting defined once here (flag, variable, help, default per preset); `checkPolicy`
// lists every way a suite asks for more, by field path, before the run creates anything.
// Pure and workflow-safe. See docs/decisions/run-policy.md.
import { z } from 'zod';
import type { SettingDefinition } from '../../temporal-config/settings';
import { formatDuration, parseDuration } from './duration';
import { specHashAnnotation } from './job';
import { quantityProblem, quantityValue } from './k8s-validation';
import { executionAnnotation, labelKeys, managedBy, runIdAnnotation } from './labels';
import { maxValidators as schemaMaxValidators, type Suite, type ValidatorSpec } from './spec';

export const presets = ['default', 'sandbox'] as const;
export type PresetName = (typeof presets)[number];

/** A policy setting: how its flag or variable parses, and its value under each preset. */
interface PolicySetting<T> extends Omit<SettingDefinition, 'defaultText'> {
  schema: z.ZodType<T>;
  presets: Record<PresetName, T>;
  show: (value: T) => string;
}

const setting = <T>(d: PolicySetting<T>) => d;

/** Names, each possibly with `*` (any characters): `vt-*`. */
const patternList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.trim() === 'none' ? [] : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9.:_*-]{1,253}$/, 'must be a comma-separated list of names, each with an optional "*" (any characters), or "none"')));
const switchValue = z.union([z.boolean(), z.stringbool()], { error: 'must be true or false' });
const showList = (l: string[]) => (l.length ? l.join(',') : 'none');
const showSwitch = (b: boolean) => (b ? 'allowed' : 'refused');
const durationValue = z.string().refine((s) => parseDuration(s) !== undefined, 'must be a duration such as "90s", "30m" or "2h"');
const positiveQuantity = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((q) => !quantityProblem(q) && (quantityValue(q) ?? 0) > 0, 'must be a positive Kubernetes quantity such as "500m", "2", "512Mi" or "4Gi"');

/** Every policy setting, defined once: worker flags, variables, help and defaults derive from these. */
export const policySettings = {
  allowedNamespaces: setting({
    flag: '--allowed-namespaces',
    env: 'VERDICT_ALLOWED_NAMESPACES',
    arg: '<names>',
    help: 'namespaces runs may use, comma-separated, "*" a wildcard',
    schema: patternList,
    presets: { default: ['verdict'], sandbox: ['verdict', 'verdict-*', 'vt-*'] },
    show: showList,
  }),
  allowPrivileged: setting({
    flag: '--allow-privileged',
    env: 'VERDICT_ALLOW_PRIVILEGED',
    help: 'allow validators with privileged: true',
    schema: switchValue,
    presets: { default: false, sandbox: true },
    show: showSwitch,
  }),
  allowedClusterRoles: setting({
    flag: '--allowed-cluster-roles',
    env: 'VERDICT_ALLOWED_CLUSTER_ROLES',
    arg: '<names>',
    help: 'ClusterRoles validators may be bound to; cluster-admin only when named (a "*" never matches it)',
    schema: patternList,
    presets: { default: ['view'], sandbox: ['*'] },
    show: showList,
  }),
  allowedSecrets: setting({
    flag: '--allowed-secrets',
    env: 'VERDICT_ALLOWED_SECRETS',
    arg: '<names>',
    help: 'Secrets validators may read with secretKeyRef',
    schema: patternList,
    presets: { default: [], sandbox: ['*'] },
    show: showList,
  }),
  allowedConfigMaps: setting({
    flag: '--allowed-config-maps',
    env: 'VERDICT_ALLOWED_CONFIG_MAPS',
    arg: '<names>',
    help: 'ConfigMaps validators may read with configMapKeyRef',
    schema: patternList,
    presets: { default: [], sandbox: ['*'] },
    show: showList,
  }),
  allowedImagePullSecrets: setting({
    flag: '--allowed-image-pull-secrets',
    env: 'VERDICT_ALLOWED_IMAGE_PULL_SECRETS',
    arg: '<names>',
    help: 'Secrets validators may name in imagePullSecrets',
    schema: patternList,
    presets: { default: [], sandbox: ['*'] },
    show: showList,
  }),
  allowedRuntimeClasses: setting({
    flag: '--allowed-runtime-classes',
    env: 'VERDICT_ALLOWED_RUNTIME_CLASSES',
    arg: '<names>',
    help: 'RuntimeClasses validators may name in runtimeClassName',
    schema: patternList,
    presets: { default: [], sandbox: ['*'] },
    show: showList,
  }),
  allowControlPlane: setting({
    flag: '--allow-control-plane',
    env: 'VERDICT_ALLOW_CONTROL_PLANE',
    help: 'allow validators onto control-plane nodes (their tolerations, nodeSelector or affinity)',
    schema: switchValue,
    presets: { default: false, sandbox: true },
    show: showSwitch,
  }),
  maxValidators: setting({
    flag: '--max-validators',
    env: 'VERDICT_MAX_VALIDATORS',
    arg: '<n>',
    help: `validators per run, at most ${schemaMaxValidators}`,
    schema: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(schemaMaxValidators, `must be at most ${schemaMaxValidators} (a suite's own limit)`),
    presets: { default: 100, sandbox: schemaMaxValidators },
    show: String,
  }),
  maxTimeout: setting({
    flag: '--max-timeout',
    env: 'VERDICT_MAX_TIMEOUT',
    arg: '<duration>',
    help: "a validator's longest timeout",
    schema: durationValue,
    presets: { default: '1h', sandbox: '24h' },
    show: String,
  }),
  maxCpu: setting({
    flag: '--max-cpu',
    env: 'VERDICT_MAX_CPU',
    arg: '<quantity>',
    help: "a validator's largest cpu request or limit",
    schema: positiveQuantity,
    presets: { default: '2', sandbox: '64' },
    show: String,
  }),
  maxMemory: setting({
    flag: '--max-memory',
    env: 'VERDICT_MAX_MEMORY',
    arg: '<quantity>',
    help: "a validator's largest memory request or limit",
    schema: positiveQuantity,
    presets: { default: '4Gi', sandbox: '256Gi' },
    show: String,
  }),
};

export type PolicyRules = { [K in keyof typeof policySettings]: (typeof policySettings)[K]['presets']['default'] };
/** The policy a worker enforces, recorded in each run's report. */
export type Policy = { preset: PresetName } & PolicyRules;

export const presetSetting = {
  flag: '--policy-preset',
  env: 'VERDICT_POLICY_PRESET',
  arg: '<default|sandbox>',
  help: 'the policy the settings above start from; sandbox allows the local sandbox\'s test namespaces, privilege and any Secret: never on a shared cluster',
  defaultText: 'default',
} satisfies SettingDefinition;
export const presetSchema = z.enum(presets, { error: `must be one of ${presets.join(', ')}` });

/** Every policy setting and the preset, as worker settings (flag, variable, help with defaults). */
export const policySettingDefinitions: Record<keyof typeof policySettings | 'policyPreset', SettingDefinition> = {
  policyPreset: presetSetting,
  ...(Object.fromEntries(
    Object.entries(policySettings).map(([name, d]) => {
      const show = d.show as (v: unknown) => string;
      return [name, { flag: d.flag, env: d.env, arg: d.arg, help: d.help, defaultText: `${show(d.presets.default)}; sandbox preset: ${show(d.presets.sandbox)}` }];
    }),
  ) as Record<keyof typeof policySettings, SettingDefinition>),
};

export function presetPolicy(preset: PresetName): Policy {
  const rules = Object.fromEntries(Object.entries(policySettings).map(([name, d]) => [name, d.presets[preset]])) as PolicyRules;
  return { preset, ...rules };
}

/** Refuses what a security review would: only `verdict` namespace, no privilege, `view` only, no Secrets. */
export const defaultPolicy: Policy = presetPolicy('default');
/** For the local sandbox's tests and examples only: an explicit choice (`--policy-preset sandbox`). */
export const sandboxPolicy: Policy = presetPolicy('sandbox');

/** One thing a suite asks for that the policy refuses: the field and what to do about it. */
export interface Violation {
  path: string;
  message: string;
}

export const describeViolations = (violations: Violation[]): string => violations.map((v) => `${v.path}: ${v.message}`).join('\n');

/** `*` stands for any characters (none included); everything else matches itself. */
export function matchesPattern(pattern: string, name: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === name;
  if (!name.startsWith(parts[0]) || name.length < parts[0].length + parts[parts.length - 1].length || !name.endsWith(parts[parts.length - 1])) return false;
  let at = parts[0].length;
  const end = name.length - parts[parts.length - 1].length;
  for (const part of parts.slice(1, -1)) {
    const found = name.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

const allowedBy = (patterns: string[], name: string) => patterns.some((p) => matchesPattern(p, name));
/** cluster-admin is allowed only by its own name: a pattern written for other roles never grants it. */
const roleAllowed = (patterns: string[], role: string) => (role === 'cluster-admin' ? patterns.includes(role) : allowedBy(patterns, role));

/** Node labels and taints that mark control-plane nodes. */
export const controlPlaneKeys = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/** Pod labels and annotations Verdict sets or reads itself: a suite may not pre-set them. */
const verdictKeys = new Set<string>([managedBy.key, 'app.kubernetes.io/part-of', ...Object.values(labelKeys), runIdAnnotation, executionAnnotation, specHashAnnotation]);

/** Why a pod label or annotation key is reserved, or undefined when a suite may set it. */
export function reservedKeyProblem(key: string): string | undefined {
  if (verdictKeys.has(key)) return 'is set by Verdict itself';
  const slash = key.indexOf('/');
  const domain = slash < 0 ? '' : key.slice(0, slash).toLowerCase();
  if (domain === 'app.kubernetes.io') return undefined;
  const kubernetes = ['kubernetes.io', 'k8s.io'].some((d) => domain === d || domain.endsWith(`.${d}`));
  return kubernetes ? 'is in a domain reserved for Kubernetes, whose keys change how the pod runs (AppArmor, Pod Security, scheduling)' : undefined;
}

/** The policy's settings, for messages: `(--allow-privileged)`. */
const fix = (name: keyof typeof policySettings) => `(${policySettings[name].flag})`;
const list = (l: string[]) => (l.length ? l.join(', ') : 'none');

/** Every way `suite` asks for more than `policy` allows, each with its field path from `suite`. */
export function checkPolicy(suite: Pick<Suite, 'namespace' | 'validators'>, policy: Policy): Violation[] {
  const out: Violation[] = [];
  if (!allowedBy(policy.allowedNamespaces, suite.namespace))
    out.push({ path: 'suite.namespace', message: `namespace "${suite.namespace}" is not allowed by this worker's policy (allowed: ${list(policy.allowedNamespaces)}); use an allowed one, or ask the operator to add it ${fix('allowedNamespaces')}` });
  if (suite.validators.length > policy.maxValidators)
    out.push({ path: 'suite.validators', message: `${suite.validators.length} validators; this worker's policy allows at most ${policy.maxValidators} per run ${fix('maxValidators')}: split the suite` });
  suite.validators.forEach((v, i) => out.push(...validatorViolations(v, policy).map((x) => ({ path: `suite.validators.${i}.${x.path}`, message: x.message }))));
  return out;
}

function validatorViolations(v: ValidatorSpec, policy: Policy): Violation[] {
  const out: Violation[] = [];
  const refuse = (path: string, message: string) => out.push({ path, message });
  if (v.privileged && !policy.allowPrivileged) refuse('privileged', `privileged validators are not allowed by this worker's policy ${fix('allowPrivileged')}`);
  if (!roleAllowed(policy.allowedClusterRoles, v.clusterRole))
    refuse('clusterRole', `binding ClusterRole "${v.clusterRole}" is not allowed by this worker's policy (allowed: ${list(policy.allowedClusterRoles)}) ${fix('allowedClusterRoles')}${v.clusterRole === 'cluster-admin' ? '; the suite\'s allowClusterAdmin alone no longer suffices' : ''}`);
  v.env.forEach((e, j) => {
    if ('secretKeyRef' in e && !allowedBy(policy.allowedSecrets, e.secretKeyRef.name))
      refuse(`env.${j}.secretKeyRef.name`, `Secret "${e.secretKeyRef.name}" is not one validators may read under this worker's policy (allowed: ${list(policy.allowedSecrets)}) ${fix('allowedSecrets')}; or mark a value secret: true`);
    if ('configMapKeyRef' in e && !allowedBy(policy.allowedConfigMaps, e.configMapKeyRef.name))
      refuse(`env.${j}.configMapKeyRef.name`, `ConfigMap "${e.configMapKeyRef.name}" is not one validators may read under this worker's policy (allowed: ${list(policy.allowedConfigMaps)}) ${fix('allowedConfigMaps')}; or pass the data as an input file`);
  });
  (v.imagePullSecrets ?? []).forEach((name, j) => {
    if (!allowedBy(policy.allowedImagePullSecrets, name)) refuse(`imagePullSecrets.${j}`, `Secret "${name}" is not an image pull secret validators may use under this worker's policy (allowed: ${list(policy.allowedImagePullSecrets)}) ${fix('allowedImagePullSecrets')}`);
  });
  if (v.runtimeClassName !== undefined && !allowedBy(policy.allowedRuntimeClasses, v.runtimeClassName))
    refuse('runtimeClassName', `RuntimeClass "${v.runtimeClassName}" is not allowed by this worker's policy (allowed: ${list(policy.allowedRuntimeClasses)}) ${fix('allowedRuntimeClasses')}`);
  if (!policy.allowControlPlane) out.push(...controlPlaneViolations(v));
  out.push(...affinityViolations(v));
  out.push(...limitViolations(v, policy));
  for (const field of ['podLabels', 'podAnnotations'] as const) {
    for (const key of Object.keys(v[field] ?? {})) {
      const problem = reservedKeyProblem(key);
      if (problem) refuse(`${field}.${key}`, `"${key}" ${problem}: remove it`);
    }
  }
  return out;
}

function controlPlaneViolations(v: ValidatorSpec): Violation[] {
  const out: Violation[] = [];
  const why = `this worker's policy keeps validators off control-plane nodes ${fix('allowControlPlane')}`;
  (v.tolerations ?? []).forEach((t, j) => {
    if (t.key && controlPlaneKeys.includes(t.key)) out.push({ path: `tolerations.${j}`, message: `tolerates the control-plane taint ${t.key}; ${why}` });
    else if (!t.key && t.operator === 'Exists') out.push({ path: `tolerations.${j}`, message: `tolerates every taint, the control plane's included (operator Exists with no key); name the taint's key instead: ${why}` });
  });
  for (const key of Object.keys(v.nodeSelector ?? {})) {
    if (controlPlaneKeys.includes(key)) out.push({ path: `nodeSelector.${key}`, message: `selects control-plane nodes; ${why}` });
  }
  if (v.affinity && mentions(v.affinity, (s) => controlPlaneKeys.includes(s))) out.push({ path: 'affinity', message: `names a control-plane node label; ${why}` });
  return out;
}

/** Pod (anti-)affinity may only look at pods of the run's own namespace: other namespaces are not the suite's to probe. */
function affinityViolations(v: ValidatorSpec): Violation[] {
  const out: Violation[] = [];
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const terms = v.affinity?.[kind];
    if (terms !== undefined && mentionsKey(terms, (k) => k === 'namespaces' || k === 'namespaceSelector'))
      out.push({ path: `affinity.${kind}`, message: `looks at pods in other namespaces (namespaces or namespaceSelector); this worker's policy allows only the run's own namespace: remove them` });
  }
  return out;
}

function limitViolations(v: ValidatorSpec, policy: Policy): Violation[] {
  const out: Violation[] = [];
  const timeout = parseDuration(v.timeout) ?? Infinity;
  const maxTimeout = parseDuration(policy.maxTimeout) ?? 0;
  if (timeout > maxTimeout) out.push({ path: 'timeout', message: `${v.timeout} is longer than this worker's policy allows (${formatDuration(maxTimeout)}) ${fix('maxTimeout')}` });
  const maxima = { cpu: ['maxCpu', policy.maxCpu], memory: ['maxMemory', policy.maxMemory] } as const;
  for (const kind of ['requests', 'limits'] as const) {
    for (const [resource, [name, max]] of Object.entries(maxima)) {
      const asked = v.resources?.[kind]?.[resource];
      if (asked !== undefined && (quantityValue(asked) ?? Infinity) > (quantityValue(max) ?? 0))
        out.push({ path: `resources.${kind}.${resource}`, message: `${String(asked)} is more ${resource} than this worker's policy allows a validator (${max}) ${fix(name)}` });
    }
  }
  return out;
}

/** Whether any string anywhere in `value` satisfies `test`. */
function mentions(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) return value.some((x) => mentions(x, test));
  if (value && typeof value === 'object') return Object.values(value).some((x) => mentions(x, test));
  return false;
}

/** Whether any object key anywhere in `value` satisfies `test`. */
function mentionsKey(value: unknown, test: (k: string) => boolean): boolean {
  if (Array.isArray(value)) return value.some((x) => mentionsKey(x, test));
  if (value && typeof value === 'object') return Object.entries(value).some(([k, x]) => test(k) || mentionsKey(x, test));
  return false;
}

/**
 * What the policy check needs of a suite: no input files and no plain env values, so the check's
 * activity input does not copy them into history again.
 */
export function policySubject(suite: Suite): Pick<Suite, 'namespace' | 'validators'> {
  return { namespace: suite.namespace, validators: suite.validators.map((v) => ({ ...v, env: v.env.map((e) => ('value' in e ? { name: e.name, value: '' } : e)) })) };
}

type PolicyShape = { policyPreset: z.ZodOptional<typeof presetSchema> } & { [K in keyof typeof policySettings]: z.ZodOptional<(typeof policySettings)[K]['schema']> };

/** The policy settings as fields of the worker's configuration schema: each optional, the preset fills the rest. */
export const policyShape: PolicyShape = {
  policyPreset: presetSchema.optional(),
  ...(Object.fromEntries(Object.entries(policySettings).map(([name, d]) => [name, d.schema.optional()])) as Omit<PolicyShape, 'policyPreset'>),
};

type PolicyFields = { policyPreset?: PresetName } & Partial<PolicyRules>;

/** The configuration with its policy settings gathered into one `policy`: the preset's rules, each overridden by a setting given. */
export function gatherPolicy<T extends PolicyFields>(config: T): Omit<T, keyof PolicyFields> & { policy: Policy } {
  const rest: Record<string, unknown> = { ...config };
  const policy: Record<string, unknown> = presetPolicy(config.policyPreset ?? 'default');
  delete rest.policyPreset;
  for (const name of Object.keys(policySettings)) {
    if (rest[name] !== undefined) policy[name] = rest[name];
    delete rest[name];
  }
  return { ...(rest as Omit<T, keyof PolicyFields>), policy: policy as Policy };
}
