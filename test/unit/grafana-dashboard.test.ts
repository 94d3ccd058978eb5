// deploy/grafana/verdict-outcomes.json against the outcome metrics' one definition
// (src/core/outcome-metrics.ts): every query parses as PromQL, and names only series the worker
// exports, with labels those series carry; every metric is shown somewhere. The series names are
// the scraped ones (test/integration/outcome-metrics.test.ts checks them against a real /metrics).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { outcomeMetrics, scrapedSeries } from '../../src/core/outcome-metrics';

interface Target {
  expr: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  title: string;
  datasource: { type: string; uid: string };
  targets: Target[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
}
interface Dashboard {
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboard = JSON.parse(readFileSync(join(__dirname, '..', '..', 'deploy', 'grafana', 'verdict-outcomes.json'), 'utf8')) as Dashboard;

/** Grafana replaces its range variables before the query reaches Prometheus; label variables sit inside strings. */
const interpolated = (expr: string) => expr.replace(/\$__(range|rate_interval|interval)\b/g, '1d');

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

interface Selector {
  metric: string;
  labels: string[];
}

/** The vector selectors in `expr` (metric and matched labels), the grouping labels, and the positions of syntax errors. */
function readPromql(expr: string): { selectors: Selector[]; grouping: string[]; errors: number[] } {
  const text = interpolated(expr);
  const selectors: Selector[] = [];
  const grouping: string[] = [];
  const errors: number[] = [];
  const textOf = (n: SyntaxNode) => text.slice(n.from, n.to);
  parser.parse(text).iterate({
    enter(ref) {
      if (ref.type.isError) errors.push(ref.from);
      if (ref.name === 'VectorSelector') {
        const node = ref.node;
        const metric = node.getChild('Identifier');
        const labels = node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher').map((m) => textOf(m.getChild('LabelName')!)) ?? [];
        selectors.push({ metric: metric ? textOf(metric) : '', labels });
      }
      if (ref.name === 'GroupingLabels') grouping.push(...ref.node.getChildren('LabelName').map(textOf));
    },
  });
  return { selectors, grouping, errors };
}

/** Every PromQL query of the dashboard, by where it is: panel targets and the variables' label_values() selectors. */
function queries(d: Dashboard): [string, string][] {
  const panelQueries = d.panels.flatMap((p) => p.targets.map((t): [string, string] => [`panel "${p.title}"`, t.expr]));
  const variableQueries = d.templating.list
    .filter((v) => v.type === 'query')
    .map((v): [string, string] => {
      const query = typeof v.query === 'string' ? v.query : v.query.query;
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
      if (!m) throw new Error(`variable ${v.name}: not a label_values() query: ${query}`);
      return [`variable ${v.name}`, `group by (${m[2]}) (${m[1]})`];
    });
  return [...panelQueries, ...variableQueries];
}

/** What is wrong with the query `expr`: syntax errors, series the worker does not export, labels those series lack. */
function problems(where: string, expr: string): string[] {
  const { selectors, grouping, errors } = readPromql(expr);
  const found = errors.map((at) => `${where}: PromQL syntax error at ${at}: ${interpolated(expr).slice(at, at + 20)}`);
  for (const { metric, labels } of selectors) {
    const known = scrapedSeries.get(metric);
    if (!known) found.push(`${where}: ${metric || '(no metric name)'} is not a series the worker exports`);
    for (const l of labels) if (known && !known.includes(l)) found.push(`${where}: ${metric} has no label ${l}`);
  }
  const labelsOfUsed = new Set(selectors.flatMap((s) => scrapedSeries.get(s.metric) ?? []));
  for (const l of grouping) if (!labelsOfUsed.has(l)) found.push(`${where}: grouping by ${l}, which none of its series carries`);
  return found;
}

test('every query parses and names only exported series, by labels they carry', () => {
  const all = queries(dashboard);
  expect(all.length).toBeGreaterThan(dashboard.panels.length); // panels and variables were found
  expect(all.flatMap(([where, expr]) => problems(where, expr))).toEqual([]);
});

test('every outcome metric is on the dashboard', () => {
  const used = new Set(queries(dashboard).flatMap(([, expr]) => readPromql(expr).selectors.map((s) => s.metric)));
  const shown = Object.values(outcomeMetrics).filter((m) => [...used].some((name) => name === m.name || name.startsWith(`${m.name}_`)));
  expect(shown.map((m) => m.name)).toEqual(Object.values(outcomeMetrics).map((m) => m.name));
});

test('the checks catch a wrong name, a missing label, a wrong grouping and broken syntax', () => {
  expect(problems('q', 'sum(rate(verdict_runs[5m]))')).toEqual(['q: verdict_runs is not a series the worker exports']);
  expect(problems('q', 'verdict_validator_duration_seconds{suite="a"}')).toEqual(['q: verdict_validator_duration_seconds is not a series the worker exports']);
  expect(problems('q', 'verdict_runs_total{validator="x"}')).toEqual(['q: verdict_runs_total has no label validator']);
  expect(problems('q', 'sum by (le) (verdict_runs_total)')).toEqual(['q: grouping by le, which none of its series carries']);
  expect(problems('q', 'sum(verdict_runs_total{suite=})')[0]).toMatch(/^q: PromQL syntax error at /);
});

test('the dashboard asks for its Prometheus data source, and every panel and query uses it', () => {
  expect(dashboard.templating.list.find((v) => v.type === 'datasource')).toMatchObject({ name: 'datasource', query: 'prometheus' });
  const source = { type: 'prometheus', uid: '${datasource}' };
  for (const p of dashboard.panels) {
    expect([p.title, p.datasource]).toEqual([p.title, source]);
    for (const t of p.targets) expect([p.title, t.datasource]).toEqual([p.title, source]);
  }
  expect(dashboard.panels.map((p) => p.title)).toEqual(['Runs by status per suite', 'Time since last run', 'Pass rate', 'Failing validators', 'Validator duration p50 / p95']);
});
