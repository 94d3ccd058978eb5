// `go test -json` output (test2json events) turned into per-test results. Lines that are not
// events are ignored: a validator's stdout mixes them with its own logging. Memory is bounded
// whatever the log's length: outputs are kept only for the tests still running (their last lines)
// and for failed ones, and at most `maxTests` results are kept, failed ones first.
import { utf8Bytes } from './bytes';
import type { Status, SubTest } from './result';

interface TestEvent {
  Action: string;
  Package?: string;
  Test?: string;
  Elapsed?: number;
  Output?: string;
}

export interface GoTestLimits {
  /** Results kept; beyond it passed and skipped tests are left out (counted) before failed ones. */
  maxTests: number;
  /** The last bytes of output kept per test. */
  maxOutputBytes: number;
  /** Tests whose output is being collected at once (running in parallel); the oldest is let go past it. */
  maxRunning: number;
  /** Output kept across all failed tests; past it failed tests keep no output. */
  maxKeptOutputBytes: number;
  /** Characters of a test name kept. */
  maxNameChars: number;
}

export const defaultGoTestLimits: GoTestLimits = { maxTests: 5000, maxOutputBytes: 8 * 1024, maxRunning: 256, maxKeptOutputBytes: 1024 * 1024, maxNameChars: 1024 };

const finalActions: Record<string, Status> = { pass: 'passed', fail: 'failed', skip: 'skipped' };

export function parseEvent(line: string): TestEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const e = JSON.parse(line) as TestEvent;
    return e !== null && typeof e.Action === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

/** A test's output so far: its last lines within a byte cap. */
class OutputTail {
  lines: string[] = [];
  bytes = 0;
  constructor(private readonly max: number) {}
  add(line: string): void {
    const text = line.length > this.max ? line.slice(0, this.max) : line;
    this.lines.push(text);
    this.bytes += utf8Bytes(text) + 1;
    while (this.bytes > this.max && this.lines.length > 1) this.bytes -= utf8Bytes(this.lines.shift()!) + 1;
  }
}

type Kept = SubTest & { seq: number };

export interface GoTestSummary {
  /** Kept results, in the order they finished. */
  tests: SubTest[];
  /** Results that reported but were left out to bound memory. */
  omitted: number;
  /** Expected tests that never reported an outcome. */
  missing: string[];
}

/** Collects sub-test results from test2json lines fed one at a time. */
export class GoTestCollector {
  private readonly running = new Map<string, OutputTail>();
  private readonly failed: Kept[] = [];
  private others: Kept[] = [];
  private othersStart = 0;
  private seq = 0;
  private omitted = 0;
  private keptOutputBytes = 0;
  private readonly expected: Set<string>;

  constructor(
    expectedTests: string[] = [],
    private readonly limits: GoTestLimits = defaultGoTestLimits,
  ) {
    this.expected = new Set(expectedTests);
  }

  /** Feeds one complete line; anything but a test event is ignored. */
  line(line: string): void {
    const event = parseEvent(line);
    if (!event?.Test || typeof event.Test !== 'string') return;
    const name = event.Test;
    if (event.Action === 'output' && typeof event.Output === 'string') this.output(name, event.Output.replace(/\n$/, ''));
    const status = finalActions[event.Action];
    if (status) this.finish(name, status, typeof event.Elapsed === 'number' ? event.Elapsed : 0);
  }

  summary(): GoTestSummary {
    const kept = [...this.failed, ...this.others.slice(this.othersStart)].sort((a, b) => a.seq - b.seq);
    return { tests: kept.map(({ seq: _, ...t }) => t), omitted: this.omitted, missing: [...this.expected] };
  }

  private output(name: string, text: string): void {
    let tail = this.running.get(name);
    if (!tail) {
      if (this.running.size >= this.limits.maxRunning) this.running.delete(this.running.keys().next().value!);
      tail = new OutputTail(this.limits.maxOutputBytes);
      this.running.set(name, tail);
    }
    tail.add(text);
  }

  private finish(name: string, status: Status, elapsed: number): void {
    this.expected.delete(name);
    const out = this.running.get(name);
    this.running.delete(name);
    const test: Kept = { name: name.length > this.limits.maxNameChars ? name.slice(0, this.limits.maxNameChars) : name, status, durationMs: Math.round(elapsed * 1000), seq: this.seq++ };
    if (status === 'failed' && out && this.keptOutputBytes + out.bytes <= this.limits.maxKeptOutputBytes) {
      test.output = out.lines;
      this.keptOutputBytes += out.bytes;
    }
    this.keep(test);
  }

  private keep(test: Kept): void {
    const othersKept = this.others.length - this.othersStart;
    if (this.failed.length + othersKept < this.limits.maxTests) {
      (test.status === 'failed' ? this.failed : this.others).push(test);
    } else if (test.status === 'failed' && othersKept > 0) {
      // A failure matters more than a pass: the oldest passed or skipped test makes room.
      this.othersStart++;
      this.failed.push(test);
      this.omitted++;
      if (this.othersStart > 1024 && this.othersStart * 2 > this.others.length) {
        this.others = this.others.slice(this.othersStart);
        this.othersStart = 0;
      }
    } else {
      this.omitted++;
    }
  }
}

/**
 * Results of every test (not package) that reported an outcome, in the order they finished. The
 * lines are in memory already, so every result is kept (`missingTests` relies on it).
 */
export function parseGoTestJson(lines: string[], limits: GoTestLimits = { ...defaultGoTestLimits, maxTests: Infinity }): SubTest[] {
  const collector = new GoTestCollector([], limits);
  for (const line of lines) collector.line(line);
  return collector.summary().tests;
}

/** Expected tests that did not report an outcome. */
export function missingTests(tests: SubTest[], expected: string[]): string[] {
  const seen = new Set(tests.map((t) => t.name));
  return expected.filter((name) => !seen.has(name));
}
