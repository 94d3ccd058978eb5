// Env values a suite marks `secret: true`: where they are (so a client without a payload codec
// refuses to start the run) and their redaction from what a validator reports.
import type { ValidatorResult } from './result';
import type { Suite, ValidatorSpec } from './spec';

export const redactedMark = '[redacted]';

/** Field path and variable name of every secret-marked env value, e.g. "validators.0.env.2 (DB_PASSWORD)". */
export function secretEnvPaths(suite: Suite): string[] {
  return suite.validators.flatMap((v, i) => v.env.flatMap((e, j) => ('value' in e && e.secret ? [`validators.${i}.env.${j} (${e.name})`] : [])));
}

/** The secret values to redact, longest first so a value containing another is redacted whole. */
export function secretValues(env: ValidatorSpec['env']): string[] {
  const values = env.flatMap((e) => ('value' in e && e.secret && e.value !== '' ? [e.value] : []));
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
