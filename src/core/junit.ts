// A CTRF report as JUnit XML, for CI systems that read only JUnit: one <testsuite> per phase.
import type { CtrfReport, CtrfTest } from './ctrf';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '');
const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(t: CtrfTest, phase: string): string {
  const message = escape(t.message ?? '');
  const outcome =
    t.status === 'failed'
      ? `<failure message="${message}" type="${escape(t.rawStatus ?? 'failed')}">${message}</failure>`
      : t.status === 'skipped'
        ? `<skipped message="${message}"/>`
        : t.status === 'other'
          ? `<error message="${message}" type="${escape(t.rawStatus ?? 'other')}">${message}</error>`
          : '';
  const out = t.stdout?.length ? `<system-out>${escape(t.stdout.join('\n'))}</system-out>` : '';
  return `    <testcase name="${escape(t.name)}" classname="${escape(phase)}" time="${seconds(t.duration)}">${comparison(t)}${outcome}${out}</testcase>`;
}

/** What JUnit can carry of the comparison with earlier runs and of retries: properties, which most JUnit readers list. */
function comparison({ insights, retries, flaky }: CtrfTest): string {
  const props = {
    ...(insights ? { change: insights.extra.change, passRate: insights.passRate.current, flakyRate: insights.flakyRate.current } : {}),
    ...(retries ? { retries, flaky: flaky === true } : {}),
  };
  if (Object.keys(props).length === 0) return '';
  return `<properties>${Object.entries(props)
    .map(([name, value]) => `<property name="${name}" value="${escape(String(value))}"/>`)
    .join('')}</properties>`;
}

export function toJUnit(report: CtrfReport): string {
  const suite = report.results.extra?.suite;
  const suiteName = typeof suite === 'string' ? suite : 'verdict';
  const phases = [...new Set(report.results.tests.map((t) => t.suite?.[0] ?? 'validators'))];
  const suites = phases.map((phase) => {
    const tests = report.results.tests.filter((t) => (t.suite?.[0] ?? 'validators') === phase);
    const n = (s: string) => tests.filter((t) => t.status === s).length;
    const time = tests.reduce((sum, t) => sum + t.duration, 0);
    return [
      `  <testsuite name="${escape(phase)}" tests="${tests.length}" failures="${n('failed')}" errors="${n('other')}" skipped="${n('skipped')}" time="${seconds(time)}">`,
      ...tests.map((t) => testcase(t, phase)),
      '  </testsuite>',
    ].join('\n');
  });
  const s = report.results.summary;
  const total = seconds(s.stop - s.start);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escape(suiteName)}" tests="${s.tests}" failures="${s.failed}" errors="${s.other}" skipped="${s.skipped}" time="${total}">\n${suites.join('\n')}\n</testsuites>\n`;
}
