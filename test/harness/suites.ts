// Suites of simulated validators for run tests.
import type { Phase, SuiteInput, ValidatorInput } from '../../src/core/spec';

export function sim(name: string, phase: Phase, annotations: Record<string, string>, extra: Partial<ValidatorInput> = {}): ValidatorInput {
  const podAnnotations = Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`sandbox.verdict.dev/${k}`, v]));
  return { name, phase, image: 'example.com/check:1', podAnnotations, ...extra };
}

export function suite(name: string, namespace: string, validators: ValidatorInput[], extra: Partial<SuiteInput> = {}): SuiteInput {
  return { name, namespace, validators, ...extra };
}
