import fc from 'fast-check';
import { buildReport, securityOptIns } from '../../src/core/ctrf';
import { runInsights } from '../../src/core/insights';
import { jsonHead, jsonStringBytes, jsonTail, utf8Bytes } from '../../src/core/bytes';
import { capResult, fairShares, fitTests, reportBudgetBytes, resultShareBytes } from '../../src/core/report-budget';
import type { Status, SubTest, ValidatorResult } from '../../src/core/result';
import { maxAttemptMessageChars, maxRetries } from '../../src/core/retries';
import { maxValidators, phases, suiteSchema } from '../../src/core/spec';

const bytes = (v: unknown) => utf8Bytes(JSON.stringify(v));
const meta = { reportId: '6f1c2a8e-3b7d-4c1e-9f2a-0d5e8b7c6a41', start: 1_700_000_000_000, stop: 1_700_000_060_000, toolVersion: '0.1.0' };

// Text of every kind: ASCII, any code unit (lone surrogates, controls, quotes), emoji.
const unit = fc.oneof(fc.constantFrom('a', '"', '\\', '\n', '\u0001', 'é', '€', '😀', '\ud800', '\udc00'), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)));
const text = fc.string({ unit, maxLength: 120 });
const hugeText = fc.tuple(unit, fc.integer({ min: 10_000, max: 400_000 })).map(([u, n]) => u.repeat(n));
const status = fc.constantFrom<Status>('passed', 'failed', 'skipped', 'other');
const manyLines = fc.integer({ min: 1, max: 30_000 }).map((n) => Array.from({ length: n }, (_, i) => `line ${i} ${'x'.repeat(i % 300)}`));
const subTest = (lines: fc.Arbitrary<string[]>): fc.Arbitrary<SubTest> => fc.record({ name: text, status, durationMs: fc.nat(), output: fc.option(lines, { nil: undefined }) }, { requiredKeys: ['name', 'status', 'durationMs'] });
const manyTests = fc.integer({ min: 100, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i): SubTest => ({ name: `Test${i}/case-${'c'.repeat(i % 60)}`, status: i % 7 ? 'passed' : 'failed', durationMs: i, output: i % 7 ? undefined : [`fail ${i}`, 'x'.repeat(200)] })));

// A realistic reason: Kubernetes' and Verdict's are short words (see docs/decisions/suite-size-limit.md).
const reason = fc.option(fc.oneof(fc.constantFrom('OOMKilled', 'DeadlineExceeded', 'Timeout', 'ImagePullBackOff', 'FailedCreate'), fc.string({ unit, maxLength: 64 })), { nil: undefined });
/** An earlier attempt as attemptOf keeps it: at its largest, a message of the most characters kept. */
const attempt = fc.record({
  attempt: fc.integer({ min: 1, max: maxRetries }),
  status: fc.constant('other' as const),
  exitCode: fc.integer({ min: -1, max: 255 }),
  reason,
  message: fc.oneof(text, fc.constant('€'.repeat(maxAttemptMessageChars) + '...')),
  durationMs: fc.nat(),
  node: fc.constant('n'.repeat(253)),
  jobName: fc.constant('j'.repeat(63)),
  startedAt: fc.constant('2026-11-22T02:00:00.000Z'),
  finishedAt: fc.constant('2026-11-22T02:00:01.000Z'),
}, { requiredKeys: ['attempt', 'status', 'exitCode', 'message', 'durationMs'] });
/** A validator's result; a huge one has any of a huge message, stdout or sub-tests (with huge outputs). */
const result = (i: number, huge: boolean) =>
  fc.record({
    name: fc.constant(`v${i}-`.padEnd(63, 'x')),
    phase: fc.constantFrom(...phases),
    status,
    exitCode: fc.integer({ min: -1, max: 255 }),
    reason,
    message: huge ? fc.oneof(text, hugeText) : text,
    stdout: huge ? fc.oneof(fc.array(text), manyLines) : fc.array(text, { maxLength: 8 }),
    tests: fc.option(huge ? fc.oneof(manyTests, fc.array(subTest(fc.oneof(manyLines, fc.array(hugeText, { maxLength: 2 }))), { maxLength: 4 })) : fc.array(subTest(fc.array(text, { maxLength: 4 })), { maxLength: 5 }), { nil: undefined }),
    durationMs: fc.nat(),
    node: fc.option(fc.constant('n'.repeat(253)), { nil: undefined }),
    jobName: fc.constant('j'.repeat(63)),
    startedAt: fc.constant('2026-11-22T02:00:00.000Z'),
    finishedAt: fc.constant('2026-11-22T02:00:01.000Z'),
    attempts: fc.option(fc.array(attempt, { maxLength: maxRetries }), { nil: undefined }),
  }) as fc.Arbitrary<ValidatorResult>;

// Up to the suite limit; a few of the validators (at random places) produced huge output.
const suiteResults = fc
  .tuple(fc.integer({ min: 1, max: maxValidators }), fc.uniqueArray(fc.nat(), { maxLength: 5 }))
  .chain(([n, hugeAt]) => fc.tuple(...Array.from({ length: n }, (_, i) => result(i, hugeAt.some((h) => h % n === i)))));

test('the whole output fits the budget, insights included, and every validator keeps its status, exit code and reason', () => {
  fc.assert(
    fc.property(suiteResults, fc.dictionary(fc.string({ maxLength: 60 }), fc.string({ maxLength: 200 }), { maxKeys: 60 }), (results, labels) => {
      // The worst opt-ins a valid suite can have: every validator privileged, bound to a long role.
      const optIns = securityOptIns({ allowClusterAdmin: true, validators: results.map((r) => ({ name: r.name, privileged: true, clusterRole: 'r'.repeat(253) })) as never });
      // Compared with a previous run in which every validator failed after a long time: each test carries its insights.
      const previous = { runId: 'p'.repeat(936), reportId: '00000000-0000-4000-8000-000000000001', start: 0, stop: 7_199_999, status: 'failed', validators: results.map((r) => ({ name: r.name, status: 'other' as const, durationMs: 7_199_999, exitCode: -1 })) };
      const insights = runInsights({ start: 0, stop: 7_200_000, validators: results.map((r) => ({ name: r.name, status: r.status, durationMs: r.durationMs, exitCode: r.exitCode })) }, [previous]);
      const report = buildReport(results, { ...meta, insights, extra: { runId: 'r'.repeat(1000), suite: 'x'.repeat(63), cluster: 'c'.repeat(253), status: 'cancelled', labels, optIns } });
      expect(bytes({ status: 'cancelled', report })).toBeLessThanOrEqual(reportBudgetBytes);
      expect(report.results.tests.map((t) => [t.name, t.status, t.extra?.exitCode, t.extra?.reason])).toEqual(results.map((r) => [r.name, r.status, r.exitCode, r.reason || undefined]));
    }),
    { numRuns: 25 },
  );
});

test('a small report is kept whole', () => {
  const r: ValidatorResult = { name: 'a', phase: 'deployment', status: 'failed', exitCode: 1, message: 'boom', stdout: ['one', 'two'], durationMs: 5, tests: [{ name: 'TestA', status: 'failed', durationMs: 1, output: ['x'] }] };
  const [t] = buildReport([r], meta).results.tests;
  expect(t).toMatchObject({ message: 'boom', stdout: ['one', 'two'], extra: { tests: r.tests } });
  expect(t.extra?.stdoutTruncated).toBeUndefined();
});

test('small validators keep everything; the big one is cut and marked', () => {
  const small = (name: string): ValidatorResult => ({ name, phase: 'deployment', status: 'passed', exitCode: 0, message: '', stdout: ['ok'], durationMs: 1 });
  const big: ValidatorResult = { ...small('big'), status: 'failed', exitCode: 1, message: 'm'.repeat(100_000), stdout: Array.from({ length: 20_000 }, (_, i) => `line ${i}`) };
  const report = buildReport([small('a'), big, small('b')], meta, 64 * 1024);
  const [a, b, c] = report.results.tests;
  expect(a.stdout).toEqual(['ok']);
  expect(c.stdout).toEqual(['ok']);
  expect(b.extra?.stdoutTruncated).toBe(true);
  expect(b.stdout?.at(-1)).toBe('line 19999'); // the newest lines are kept
  expect(b.message?.endsWith('... [truncated]')).toBe(true);
  expect(bytes(report)).toBeLessThanOrEqual(64 * 1024);
});

test('one result is capped to its share, its identity untouched', () => {
  fc.assert(
    fc.property(fc.boolean().chain((huge) => result(0, huge)), fc.integer({ min: 1, max: maxValidators }), (r, n) => {
      const share = resultShareBytes(n);
      const capped = capResult(r, share);
      expect(bytes(capped)).toBeLessThanOrEqual(Math.max(share, bytes(capResult(r, 0))));
      expect([capped.name, capped.phase, capped.status, capped.exitCode, capped.reason]).toEqual([r.name, r.phase, r.status, r.exitCode, r.reason]);
    }),
    { numRuns: 30 },
  );
});

test('sub-tests: outputs are cut before tests, failed tests are kept before passed ones', () => {
  const many: SubTest[] = Array.from({ length: 1000 }, (_, i) => ({ name: `Test${i}`, status: i === 500 ? 'failed' : 'passed', durationMs: 1, output: ['a'.repeat(100)] }));
  const cut = fitTests(many, 4000);
  expect(bytes(cut.tests)).toBeLessThanOrEqual(4000);
  expect(cut.tests).toContainEqual({ name: 'Test500', status: 'failed', durationMs: 1 });
  expect(cut.omitted).toBe(1000 - cut.tests.length);
  const outputsOnly = fitTests(many.slice(0, 10), 1000);
  expect(outputsOnly.omitted).toBe(0);
  expect(outputsOnly.tests.map((t) => t.name)).toEqual(many.slice(0, 10).map((t) => t.name));
});

test('fair shares: the small parts keep all, the rest split what is left', () => {
  expect(fairShares([10, 1000, 1000], 610)).toEqual([10, 300, 300]);
  expect(fairShares([10, 20], 100)).toEqual([10, 20]);
});

test('JSON byte helpers match JSON.stringify, never splitting a surrogate pair', () => {
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 200 }), fc.nat(400), (s, max) => {
      expect(jsonStringBytes(s)).toBe(bytes(s));
      const head = jsonHead(s, max);
      const tail = jsonTail(s, max);
      expect(bytes(head) - 2).toBeLessThanOrEqual(max);
      expect(bytes(tail) - 2).toBeLessThanOrEqual(max);
      expect(s.startsWith(head) && s.endsWith(tail)).toBe(true);
    }),
  );
  expect(jsonHead('a😀', 4)).toBe('a');
});

test('a suite at the limit is valid; one more validator is refused with the fix', () => {
  const v = (i: number) => ({ name: `v${i}`, phase: 'deployment', image: 'example.com/check:1' });
  expect(suiteSchema.safeParse({ name: 's', validators: Array.from({ length: maxValidators }, (_, i) => v(i)) }).success).toBe(true);
  const over = suiteSchema.safeParse({ name: 's', validators: Array.from({ length: maxValidators + 1 }, (_, i) => v(i)) });
  expect(over.success).toBe(false);
  expect(over.error?.issues[0]).toMatchObject({ path: ['validators'] });
  expect(over.error?.issues[0].message).toMatch(/at most 500 validators.*split/);
});
