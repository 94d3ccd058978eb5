import fc from 'fast-check';
import { missingTests, parseGoTestJson } from '../../src/core/gotest';

const ev = (o: object) => JSON.stringify({ Time: '2026-11-22T02:00:00Z', Package: 'example.com/checks', ...o });

test('turns test2json events into per-test results, ignoring other lines', () => {
  const lines = [
    'starting checks...',
    ev({ Action: 'run', Test: 'TestGPU' }),
    ev({ Action: 'output', Test: 'TestGPU', Output: 'no driver\n' }),
    ev({ Action: 'fail', Test: 'TestGPU', Elapsed: 1.25 }),
    ev({ Action: 'run', Test: 'TestDNS' }),
    ev({ Action: 'pass', Test: 'TestDNS', Elapsed: 0.01 }),
    ev({ Action: 'skip', Test: 'TestRDMA', Elapsed: 0 }),
    ev({ Action: 'fail', Elapsed: 1.3 }), // the package, not a test
    '{"not": "an event"}',
  ];
  expect(parseGoTestJson(lines)).toEqual([
    { name: 'TestGPU', status: 'failed', durationMs: 1250, output: ['no driver'] },
    { name: 'TestDNS', status: 'passed', durationMs: 10 },
    { name: 'TestRDMA', status: 'skipped', durationMs: 0 },
  ]);
});

test('reports expected tests that never reported', () => {
  const tests = parseGoTestJson([ev({ Action: 'pass', Test: 'TestA' })]);
  expect(missingTests(tests, ['TestA', 'TestB'])).toEqual(['TestB']);
});

test('never throws on arbitrary output', () => {
  fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.json())), (lines) => Array.isArray(parseGoTestJson(lines))));
});

test('every result of an in-memory log is kept, however many', () => {
  const lines = Array.from({ length: 6000 }, (_, i) => ev({ Action: 'pass', Test: `T${i}` }));
  const tests = parseGoTestJson(lines);
  expect(tests).toHaveLength(6000);
  expect(missingTests(tests, ['T0', 'T5999'])).toEqual([]);
});

test('a running test keeps only the end of its output', () => {
  const lines = [...Array.from({ length: 1000 }, (_, i) => ev({ Action: 'output', Test: 'TestBig', Output: `${i} ${'x'.repeat(100)}\n` })), ev({ Action: 'fail', Test: 'TestBig' })];
  const [t] = parseGoTestJson(lines);
  expect(t.output!.at(-1)).toMatch(/^999 /);
  expect(t.output!.join('\n').length).toBeLessThanOrEqual(8 * 1024);
});
