// Run inputs for workflow tests: validators named by phase; the image is never pulled (activities are fakes).
import type { RunInput } from '../../../src/core/run';
import type { Phase, SuiteInput, ValidatorInput } from '../../../src/core/spec';

export const validator = (name: string, phase: Phase, extra: Partial<ValidatorInput> = {}): ValidatorInput => ({ name, phase, image: 'example.com/check:1', ...extra });

export const runInput = (validators: ValidatorInput[], extra: Partial<SuiteInput> = {}): RunInput => ({ suite: { name: 'wf-test', namespace: 'wf-test', validators, ...extra } });
