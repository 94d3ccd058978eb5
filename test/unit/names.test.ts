import fc from 'fast-check';
import { dnsLabel, jobName, runKey, serviceAccountName } from '../../src/core/names';

const isDnsLabel = (s: string) => s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);

test('job names are deterministic, per run and validator', () => {
  expect(jobName('run-1', 'gpu-check')).toBe(jobName('run-1', 'gpu-check'));
  expect(jobName('run-1', 'gpu-check')).not.toBe(jobName('run-2', 'gpu-check'));
  expect(jobName('run-1', 'gpu-check')).toMatch(new RegExp(`^verdict-${runKey('run-1')}-gpu-check$`));
});

test('every name is a DNS label, however long the validator name and whatever the run ID', () => {
  const validator = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  fc.assert(fc.property(fc.string(), validator, (run, v) => isDnsLabel(jobName(run, v))));
});

test('long names that differ only at the end stay different', () => {
  const a = 'a'.repeat(60) + 'x';
  const b = 'a'.repeat(60) + 'y';
  expect(dnsLabel('verdict', a)).not.toBe(dnsLabel('verdict', b));
});

test('service accounts for ClusterRoles whose names need cleaning stay distinct and valid', () => {
  const a = serviceAccountName('r', 'system:aggregate-to-view');
  const b = serviceAccountName('r', 'system-aggregate-to-view');
  expect(a).not.toBe(b);
  expect(isDnsLabel(a)).toBe(true);
  expect(serviceAccountName('r', 'view')).toBe(`verdict-${runKey('r')}-view`);
});
