import { defaults, parseArgs } from '../../bench/args';
import { delta, percentile, samples, sumBy } from '../../bench/prometheus';
import { overheadSeconds, type SideResult } from '../../bench/results';
import { kubectlVerbs, verbOf } from '../../bench/verbs';

const metrics = `# HELP apiserver_request_total x
apiserver_request_total{code="200",resource="jobs",verb="GET"} 3
apiserver_request_total{code="404",resource="jobs",verb="GET"} 2
apiserver_request_total{code="201",resource="jobs",verb="POST"} 1
apiserver_flowcontrol_dispatched_requests_total{flow_schema="mine",priority_level="workload-high"} 7
`;

test('parses flags, defaults the rest', () => {
  expect(parseArgs([])).toEqual(defaults);
  expect(parseArgs(['--sizes', '10,100', '--concurrency', '1,16', '--no-baseline-scale'])).toMatchObject({ sizes: [10, 100], concurrency: [1, 16], baselineScale: false });
});

test('bad flags are all reported, naming the flag and the fix', () => {
  expect(() => parseArgs(['--sizes', '10,x', '--bogus', '--duration'])).toThrow(/--sizes "10,x": must be positive whole numbers[\s\S]*unknown flag "--bogus"[\s\S]*--duration needs a value/);
  expect(() => parseArgs(['--sizes', '15'])).toThrow('--sizes 15: must divide evenly across --scale-runs 10 runs');
});

test('reads and sums Prometheus counters by label, and their deltas', () => {
  expect(samples(metrics, 'apiserver_request_total')).toHaveLength(3);
  const byVerb = sumBy(metrics, 'apiserver_request_total', (l) => l.verb);
  expect(Object.fromEntries(byVerb)).toEqual({ GET: 5, POST: 1 });
  expect(Object.fromEntries(delta(new Map([['GET', 4]]), byVerb))).toEqual({ GET: 1, POST: 1 });
  expect(sumBy(metrics, 'apiserver_flowcontrol_dispatched_requests_total', (l) => l.flow_schema).get('mine')).toBe(7);
});

test('percentiles by nearest rank', () => {
  expect(percentile([], 50)).toBeUndefined();
  expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
  expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).toBe(99);
});

test('verbs as the API server counts them', () => {
  const u = (p: string) => new URL(p, 'https://127.0.0.1:16443');
  expect(verbOf('GET', u('/apis/batch/v1/namespaces/ns/jobs'))).toBe('LIST');
  expect(verbOf('GET', u('/apis/batch/v1/namespaces/ns/jobs/j1'))).toBe('GET');
  expect(verbOf('GET', u('/api/v1/namespaces/ns/pods?watch=true'))).toBe('WATCH');
  expect(verbOf('GET', u('/api/v1/namespaces/ns/pods/p/log'))).toBe('GET');
  expect(verbOf('GET', u('/api/v1/namespaces'))).toBe('LIST');
  expect(verbOf('PATCH', u('/apis/batch/v1/namespaces/ns/jobs/j1'), 'application/apply-patch+yaml')).toBe('APPLY');
  expect(verbOf('GET', u('/openapi/v3'))).toBe('GET');
});

test('counts the requests in kubectl -v=6 logs, in either format', () => {
  const log = [
    'I1125 14:00:00.1 1 round_trippers.go:632] "Response" verb="GET" url="https://127.0.0.1:16443/apis/batch/v1/namespaces/ns/jobs/j1" status="200 OK" milliseconds=3',
    'I1125 14:00:00.2 1 round_trippers.go:553] GET https://127.0.0.1:16443/api/v1/namespaces/ns/pods?labelSelector=a 200 OK in 2 milliseconds',
    'I1125 14:00:00.3 1 loader.go:1] Config loaded from file',
  ].join('\n');
  expect(kubectlVerbs(log)).toEqual(['GET', 'LIST']);
});

test('overhead per validator slot subtracts the validators own run time', () => {
  const r = { validators: 10, concurrency: 1, durationSeconds: 1, wallMs: 13_000 } as SideResult;
  expect(overheadSeconds(r)).toBeCloseTo(0.3);
  expect(overheadSeconds({ ...r, concurrency: 5, wallMs: 3_000 })).toBeCloseTo(0.5);
});
