import fc from 'fast-check';
import { dnsLabel, jobName, runKey, serviceAccountName, validatorWorkflowId } from '../../src/core/names';

const isDnsLabel = (s: string) => s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);

test('job names are deterministic, per run and validator', () => {
  expect(jobName({ runId: 'run-1' }, 'gpu-check')).toBe(jobName({ runId: 'run-1' }, 'gpu-check'));
  expect(jobName({ runId: 'run-1' }, 'gpu-check')).not.toBe(jobName({ runId: 'run-2' }, 'gpu-check'));
  expect(jobName({ runId: 'run-1' }, 'gpu-check')).toMatch(new RegExp(`^verdict-${runKey({ runId: 'run-1' })}-gpu-check$`));
});

test('every name is a DNS label, however long the validator name and whatever the run ID', () => {
  const validator = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  fc.assert(fc.property(fc.string(), validator, (run, v) => isDnsLabel(jobName({ runId: run }, v)) && isDnsLabel(jobName({ runId: run, execution: 'e4b6c0f2-0000-4000-8000-000000000000' }, v))));
});

test('long names that differ only at the end stay different', () => {
  const a = 'a'.repeat(60) + 'x';
  const b = 'a'.repeat(60) + 'y';
  expect(dnsLabel('verdict', a)).not.toBe(dnsLabel('verdict', b));
});

test('service accounts for ClusterRoles whose names need cleaning stay distinct and valid', () => {
  const a = serviceAccountName({ runId: 'r' }, 'system:aggregate-to-view');
  const b = serviceAccountName({ runId: 'r' }, 'system-aggregate-to-view');
  expect(a).not.toBe(b);
  expect(isDnsLabel(a)).toBe(true);
  expect(serviceAccountName({ runId: 'r' }, 'view')).toBe(`verdict-${runKey({ runId: 'r' })}-view`);
});

test('a run ID started again (a new execution) gets new names; the same execution always the same ones', () => {
  const first = { runId: 'nightly', execution: '0b8f7c1e-aaaa-4bbb-8ccc-000000000001' };
  const again = { runId: 'nightly', execution: '0b8f7c1e-aaaa-4bbb-8ccc-000000000002' };
  expect(jobName(first, 'gpu')).toBe(jobName({ ...first }, 'gpu'));
  expect(jobName(first, 'gpu')).not.toBe(jobName(again, 'gpu'));
  expect(runKey(first)).toMatch(/^[0-9a-f]{16}$/);
  // Runs from before executions were part of the identity keep their old keys.
  expect(runKey({ runId: 'nightly' })).toMatch(/^[0-9a-f]{10}$/);
});

test('child workflow IDs split back into run and validator, so two runs never share one', () => {
  const split = (id: string) => [id.slice(0, id.lastIndexOf('/')), id.slice(id.lastIndexOf('/') + 1)];
  const validator = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  fc.assert(fc.property(fc.string(), validator, (run, v) => JSON.stringify(split(validatorWorkflowId(run, v))) === JSON.stringify([run, v])));
  // The old form was ambiguous: run "a--b" with validator "c", run "a" with validator "b--c".
  expect(validatorWorkflowId('a--b', 'c')).not.toBe(validatorWorkflowId('a', 'b--c'));
});
