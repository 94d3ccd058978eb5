import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { digestLog, LogDigest } from '../../src/core/log-digest';
import { redact } from '../../src/core/secrets';
import { capStdout } from '../../src/core/stdout';

const ev = (o: object) => JSON.stringify({ Time: '2026-11-22T02:00:00Z', Package: 'example.com/checks', ...o });

/** Feeds `text` cut at the given offsets. */
function feed(text: string, cuts: number[], options = {}) {
  const d = new LogDigest(options);
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    d.write(text.slice(at, c));
    at = c;
  }
  d.write(text.slice(at));
  return d.end();
}

test('any chunking gives the same stdout as capStdout on the whole text', () => {
  const limits = { maxLines: 20, maxLineChars: 30, maxBytes: 400 };
  const line = fc.string({ unit: fc.constantFrom('a', 'é', '😀', ' ', '\r'), maxLength: 50 });
  fc.assert(
    fc.property(fc.array(line, { maxLength: 60 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.array(fc.nat(), { maxLength: 10 }), (lines, eol, trailing, cuts) => {
      const text = lines.join(eol) + (trailing && lines.length ? eol : '');
      const out = feed(
        text,
        cuts.map((c) => c % (text.length + 1)),
        { stdout: limits },
      );
      const whole = capStdout(text, limits);
      expect([out.stdout, out.stdoutTruncated]).toEqual([whole.lines, whole.truncated]);
    }),
  );
});

test('CRLF split across chunks, a partial last line, and counts', () => {
  const d = new LogDigest();
  d.write('one\r');
  d.write('\ntw');
  d.write('o\r\nthree');
  const out = d.end();
  expect(out.stdout).toEqual(['one', 'two', 'three']);
  expect([out.lines, out.bytes]).toEqual([3, 15]);
});

test('bytes split inside a character decode whole', () => {
  const bytes = new TextEncoder().encode('é😀\n');
  const d = new LogDigest();
  for (const b of bytes) d.write(new Uint8Array([b]));
  expect(d.end()).toMatchObject({ stdout: ['é😀'], bytes: bytes.length });
});

test('expectedTests sees the whole log: a test that passed long before the kept tail is found', () => {
  const d = new LogDigest({ expectedTests: ['TestEarly', 'TestLate', 'TestNever'] });
  d.write(ev({ Action: 'pass', Test: 'TestEarly', Elapsed: 0.5 }) + '\n');
  for (let i = 0; i < 5000; i++) d.write(`progress line ${i}\n`);
  d.write(ev({ Action: 'pass', Test: 'TestLate' }) + '\n');
  const out = d.end();
  expect(out.missingTests).toEqual(['TestNever']);
  expect(out.tests.map((t) => t.name)).toEqual(['TestEarly', 'TestLate']);
  expect(out.stdout).toHaveLength(1000);
  expect(out.stdoutTruncated).toBe(true);
});

test('failed tests keep their last output lines; passed ones keep none', () => {
  const lines = [
    ev({ Action: 'run', Test: 'TestA' }),
    ...Array.from({ length: 100 }, (_, i) => ev({ Action: 'output', Test: 'TestA', Output: `a${i}\n` })),
    ev({ Action: 'fail', Test: 'TestA', Elapsed: 1.5 }),
    ev({ Action: 'output', Test: 'TestB', Output: 'fine\n' }),
    ev({ Action: 'pass', Test: 'TestB' }),
  ];
  const out = digestLog(lines.join('\n'), { goTest: { maxTests: 10, maxOutputBytes: 20, maxRunning: 4, maxKeptOutputBytes: 1000, maxNameChars: 100 } });
  expect(out.tests).toEqual([
    { name: 'TestA', status: 'failed', durationMs: 1500, output: ['a95', 'a96', 'a97', 'a98', 'a99'] },
    { name: 'TestB', status: 'passed', durationMs: 0 },
  ]);
});

test('too many tests: failed ones are kept before passed ones, the rest counted', () => {
  const lines = Array.from({ length: 100 }, (_, i) => ev({ Action: i % 10 === 0 ? 'fail' : 'pass', Test: `T${i}` }));
  const out = digestLog(lines.join('\n'), { goTest: { maxTests: 15, maxOutputBytes: 100, maxRunning: 4, maxKeptOutputBytes: 1000, maxNameChars: 100 } });
  expect(out.tests).toHaveLength(15);
  expect(out.tests.filter((t) => t.status === 'failed')).toHaveLength(10);
  expect(out.testsOmitted).toBe(85);
  expect(out.tests.map((t) => t.name)).toEqual([...out.tests].sort((a, b) => Number(a.name.slice(1)) - Number(b.name.slice(1))).map((t) => t.name));
});

test('every complete line is redacted before it is kept or cut, test output included', () => {
  const secret = 's3cr3t-value';
  const text = [`token=${secret} ${'x'.repeat(600)}`, ev({ Action: 'output', Test: 'TestS', Output: `got ${secret}\n` }), ev({ Action: 'fail', Test: 'TestS' })].join('\r\n');
  for (const cut of [5, 10, 20, 40]) {
    const out = feed(text, [cut, cut + 7], { redact: (l: string) => redact(l, [secret]) });
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(out.stdout[0].startsWith('token=[redacted] xx')).toBe(true);
    expect(out.tests[0].output).toEqual(['got [redacted]']);
  }
});

test('a line longer than maxLineChars is read in part and its length still reported', () => {
  const out = digestLog('a'.repeat(100_000) + '\nshort\n', { maxLineChars: 1000 });
  expect(out.stdout).toEqual([`${'a'.repeat(512)}... [99488 more characters]`, 'short']);
  expect(out.bytes).toBe(100_007);
});

// A real collection before each heap reading, so garbage does not count.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('a 50 MB log of go-test events and noise keeps memory small', () => {
  const d = new LogDigest({ expectedTests: ['Test0', 'Test99999'] });
  gc();
  const before = process.memoryUsage().heapUsed;
  const chunk: string[] = [];
  let written = 0;
  let i = 0;
  while (written < 50 * 1024 * 1024) {
    chunk.push(ev({ Action: 'output', Test: `Test${i}`, Output: `${'o'.repeat(200)}\n` }), ev({ Action: i % 50 ? 'pass' : 'fail', Test: `Test${i}`, Elapsed: 0.01 }), `noise ${'n'.repeat(300)}`);
    i++;
    if (chunk.length >= 300) {
      const text = chunk.join('\n') + '\n';
      // Cut mid-line on purpose.
      d.write(text.slice(0, 777));
      d.write(text.slice(777));
      written += text.length;
      chunk.length = 0;
    }
  }
  const out = d.end();
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  expect(out.bytes).toBeGreaterThanOrEqual(50 * 1024 * 1024);
  expect(out.missingTests).toEqual(i > 99999 ? [] : ['Test99999']);
  expect(out.tests.length).toBe(5000);
  expect(out.tests.filter((t) => t.status === 'failed').length).toBeGreaterThan(1000);
  expect(out.testsOmitted).toBe(i - 5000);
  // Bounded by the limits (64 KiB stdout, 5000 results, 1 MiB of kept output), not by the log.
  expect(grown).toBeLessThan(32 * 1024 * 1024);
});
