// Env values a suite marks `secret: true`: where they are (so a client without a payload codec
// refuses to start the run), the keys they take in the run's Secret (so the pod spec holds only a
// reference), and their redaction from what a validator reports.
import { shortHash } from './hash';
import type { ValidatorResult } from './result';
import type { Suite, ValidatorSpec } from './spec';

export const redactedMark = '[redacted]';

type EnvVar = ValidatorSpec['env'][number];
const isSecretValue = (e: EnvVar): e is Extract<EnvVar, { value: string }> => 'value' in e && e.secret === true;

/** Field path and variable name of every secret-marked env value, e.g. "validators.0.env.2 (DB_PASSWORD)". */
export function secretEnvPaths(suite: Suite): string[] {
  return suite.validators.flatMap((v, i) => v.env.flatMap((e, j) => (isSecretValue(e) ? [`validators.${i}.env.${j} (${e.name})`] : [])));
}

export const hasSecretEnv = (env: ValidatorSpec['env']): boolean => env.some(isSecretValue);

const secretKeyChars = /^[-._a-zA-Z0-9]+$/;
const maxSecretKey = 253;

/**
 * The key of a validator's secret-marked variable in the run's Secret: "<validator>.<NAME>".
 * Validator names hold no ".", so keys of different validators never meet; a variable name that is
 * not a valid key (or too long) is cleaned and suffixed with its hash, so distinct names stay distinct.
 */
export function secretEnvKey(validator: string, name: string): string {
  const key = `${validator}.${name}`;
  if (secretKeyChars.test(name) && key.length <= maxSecretKey) return key;
  return `${validator}.${name.replace(/[^-._a-zA-Z0-9]+/g, '_').slice(0, 160)}-${shortHash(name, 16)}`;
}

/** The run's Secret data: every secret-marked value by key (a repeated name keeps its last value, as in a pod). */
export function secretEnvData(suite: Pick<Suite, 'validators'>): Record<string, string> {
  return Object.fromEntries(suite.validators.flatMap((v) => v.env.filter(isSecretValue).map((e) => [secretEnvKey(v.name, e.name), e.value])));
}

/** The secret values to redact, longest first so a value containing another is redacted whole. */
export function secretValues(env: ValidatorSpec['env']): string[] {
  const values = env.flatMap((e) => (isSecretValue(e) && e.value !== '' ? [e.value] : []));
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: string[]): string {
  return secrets.reduce((t, s) => t.split(s).join(redactedMark), text);
}

/** The result with every secret value replaced in its message, stdout and sub-test output. */
export function redactResult(r: ValidatorResult, secrets: string[]): ValidatorResult {
  if (secrets.length === 0) return r;
  const lines = (l: string[]) => l.map((s) => redact(s, secrets));
  return {
    ...r,
    message: redact(r.message, secrets),
    stdout: lines(r.stdout),
    ...(r.tests ? { tests: r.tests.map((t) => ({ ...t, name: redact(t.name, secrets), ...(t.output ? { output: lines(t.output) } : {}) })) } : {}),
  };
}
