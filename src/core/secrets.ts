// Env values a suite marks `secret: true`: where they are (so a client without a payload codec
// refuses to start the run, and a worker refuses a run whose values arrived in clear), the keys they
// take in the run's Secret (so the pod spec holds only a reference), and their redaction from what a
// validator reports: before any cut, so no part of a value survives a truncation.
import { utf8Bytes } from './bytes';
import { shortHash } from './hash';
import type { ValidatorResult } from './result';
import type { Suite, ValidatorSpec } from './spec';

export const redactedMark = '[redacted]';

type EnvVar = ValidatorSpec['env'][number];
const isSecretValue = (e: EnvVar): e is Extract<EnvVar, { value: string }> => 'value' in e && e.secret === true;

/**
 * Field path of every secret in the suite: secret-marked env values with their variable name, e.g.
 * "validators.0.env.2 (DB_PASSWORD)", and webhook URLs, which are credentials, e.g. "notify.0.url".
 */
export function secretPaths(suite: Pick<Suite, 'validators' | 'notify'>): string[] {
  const env = suite.validators.flatMap((v, i) => v.env.flatMap((e, j) => (isSecretValue(e) ? [`validators.${i}.env.${j} (${e.name})`] : [])));
  return [...env, ...suite.notify.flatMap((n, i) => ('url' in n ? [`notify.${i}.url (a webhook URL is always secret)`] : []))];
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
  const values = env.flatMap((e) => (isSecretValue(e) && e.value !== '' ? needles(e.value) : []));
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** Shortest line of a multi-line secret (a PEM key) redacted on its own: logs are redacted line by line. */
const minSecretLine = 8;

// The value, its JSON-escaped form (go test -json output), and each long line of a multi-line one.
function needles(value: string): string[] {
  const lines = value.includes('\n') ? value.split(/\r?\n/).filter((l) => l.length >= minSecretLine) : [];
  return [value, jsonEscaped(value), ...lines];
}

// A value as it appears inside a JSON string (go test -json output): quotes, backslashes, newlines escaped.
const jsonEscaped = (value: string) => JSON.stringify(value).slice(1, -1);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every occurrence of a secret replaced in one pass, so a mark is never searched again. */
export function redact(text: string, secrets: string[]): string {
  if (secrets.length === 0 || text === '') return text;
  return text.replace(new RegExp(secrets.map(escapeRegExp).join('|'), 'g'), redactedMark);
}

/**
 * Redaction of a text someone else cut (a log read up to a byte limit, a termination message the
 * kubelet capped): a whole secret anywhere, and at a cut edge any part of one, even a single
 * character, since what was cut off cannot tell whether a secret continued there.
 */
export function redactCut(text: string, secrets: string[], cut: { start?: boolean; end?: boolean }): string {
  // Cut at both ends, the whole text may lie inside one secret.
  if (cut.start && cut.end && text !== '' && secrets.some((s) => s.includes(text))) return redactedMark;
  let out = redact(text, secrets);
  const endPart = cut.end ? longestEdge(out, secrets, (t, s, n) => t.endsWith(s.slice(0, n))) : 0;
  if (endPart > 0) out = `${out.slice(0, out.length - endPart)}${redactedMark}`;
  const startPart = cut.start ? longestEdge(out, secrets, (t, s, n) => t.startsWith(s.slice(s.length - n))) : 0;
  if (startPart > 0) out = `${redactedMark}${out.slice(startPart)}`;
  return out;
}

/** The longest proper part (1 to length-1 characters) of a secret that `matches` at an edge of the text. */
function longestEdge(text: string, secrets: string[], matches: (text: string, secret: string, n: number) => boolean): number {
  let longest = 0;
  for (const s of secrets) {
    for (let n = Math.min(s.length - 1, text.length); n > longest; n--) {
      if (matches(text, s, n)) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}

/**
 * Kubernetes cuts some texts before Verdict reads them (event messages at 1 KiB, a termination
 * message read from the log at 2 KiB, from its file at 4 KiB): a string this long may be cut.
 */
const mayBeCutBytes = 1024 - 3; // a cut inside a character drops up to 3 bytes of it

/**
 * A copy of anything (a pod, a wait's outcome) with every string redacted, so messages built from it
 * and cut later (classify.ts cutMessage, stdout caps) never hold a part of a secret; a string long
 * enough to have been cut by Kubernetes is redacted at its edges too. Dates and other non-plain
 * values are kept as they are.
 */
export function redactDeep<T>(value: T, secrets: string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return utf8Bytes(v) >= mayBeCutBytes ? redactCut(v, secrets, { start: true, end: true }) : redact(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object' || v instanceof Date || ArrayBuffer.isView(v)) return v;
    const copy = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v)) copy[k] = walk(x);
    return copy;
  };
  return walk(value) as T;
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

/**
 * A run input that arrived unencrypted (Web UI, `temporal workflow start`) with secret-marked values
 * reaches the workflow as this object instead: the worker's payload guard (src/codec/secret-guard.ts)
 * sees the stored payload before anything else does and keeps only the values' field paths.
 */
export const secretsInClearField = '$verdictSecretsInClear';

const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Field paths of the secret-marked values in a raw, unvalidated run input, e.g. "suite.validators.0.env.2 (DB_PASSWORD)". */
export function secretPathsInRawInput(input: unknown): string[] {
  const suite = record(record(input)?.suite);
  const env = list(suite?.validators).flatMap((v, i) =>
    list(record(v)?.env).flatMap((e, j) => {
      const env = record(e);
      if (env?.secret !== true || !('value' in env)) return [];
      const name = typeof env.name === 'string' ? ` (${env.name.slice(0, 128)})` : '';
      return [`suite.validators.${i}.env.${j}${name}`];
    }),
  );
  return [...env, ...list(suite?.notify).flatMap((n, i) => ('url' in (record(n) ?? {}) ? [`suite.notify.${i}.url (a webhook URL is always secret)`] : []))];
}

/** What the workflow receives in place of such an input: the paths, never the values. */
export const secretsInClearInput = (paths: string[]) => ({ [secretsInClearField]: paths });

/**
 * Why the run must be refused because secret-marked values reached Temporal unencrypted, or
 * undefined. The workflow calls it first, before validating the input (and throws SecretInClear).
 */
export function secretsInClearProblem(input: unknown): string | undefined {
  const paths = list(record(input)?.[secretsInClearField]).filter((p): p is string => typeof p === 'string');
  if (paths.length === 0) return undefined;
  return (
    `${paths.join(', ')}: marked secret, but the run's input reached Temporal unencrypted (started without Verdict's payload codec, ` +
    'e.g. from the Web UI or `temporal workflow start`), so the value is now stored in Temporal history in clear: rotate it. ' +
    'Nothing was created. Start runs with secret values through a client with the codec keys (`verdict run`, the client API; README "Secrets"), ' +
    'or reference a Kubernetes Secret with secretKeyRef.'
  );
}
