import { buildReport } from '../../src/core/ctrf';
import { toJUnit } from '../../src/core/junit';
import { runInsights } from '../../src/core/insights';
import type { ValidatorResult } from '../../src/core/result';

const r = (name: string, phase: ValidatorResult['phase'], status: ValidatorResult['status'], message = '', stdout: string[] = []): ValidatorResult => ({ name, phase, status, exitCode: 0, message, stdout, durationMs: 1500 });

test('one testsuite per phase, with failures, errors, skips and escaped text', () => {
  const report = buildReport([r('a', 'deployment', 'passed', '', ['<ok> & done']), r('b', 'deployment', 'failed', 'bad "quote"'), r('c', 'conformance', 'skipped', 'no'), r('d', 'conformance', 'other', 'stuck\u0001')], {
    reportId: '6f1c2a8e-3b7d-4c1e-9f2a-0d5e8b7c6a41', start: 0, stop: 4000, toolVersion: '0.1.0', extra: { suite: 'smoke' },
  });
  const xml = toJUnit(report);
  expect(xml).toContain('<testsuites name="smoke" tests="4" failures="1" errors="1" skipped="1" time="4.000">');
  expect(xml).toContain('<testsuite name="deployment" tests="2" failures="1" errors="0" skipped="0" time="3.000">');
  expect(xml).toContain('<failure message="bad &quot;quote&quot;"');
  expect(xml).toContain('<system-out>&lt;ok&gt; &amp; done</system-out>');
  expect(xml).toContain('<skipped message="no"/>');
  expect(xml).toContain('<error message="stuck"');
  expect(xml.match(/<testcase /g)).toHaveLength(4);
});

test('each testcase carries its change since the previous run and its rates as properties', () => {
  const earlier = [{ runId: 'last', reportId: '00000000-0000-4000-8000-000000000001', start: 0, stop: 1, status: 'passed', validators: [{ name: 'a', status: 'passed' as const, durationMs: 1, exitCode: 0 }] }];
  const result = { name: 'a', phase: 'deployment' as const, status: 'failed' as const, exitCode: 1, message: 'm', stdout: [], durationMs: 1 };
  const insights = runInsights({ start: 2, stop: 3, validators: [result] }, earlier);
  const xml = toJUnit(buildReport([result], { reportId: 'r', start: 2, stop: 3, toolVersion: 't', insights }));
  expect(xml).toContain('<testcase name="a" classname="deployment" time="0.001"><properties><property name="change" value="newly failing"/><property name="passRate" value="0.5"/><property name="flakyRate" value="1"/></properties><failure');
});
