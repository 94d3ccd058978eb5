// `go test -json` output (test2json events) turned into per-test results. Lines that are not
// events are ignored: a validator's stdout mixes them with its own logging.
import type { Status, SubTest } from './result';

interface TestEvent {
  Action: string;
  Package?: string;
  Test?: string;
  Elapsed?: number;
  Output?: string;
}

const finalActions: Record<string, Status> = { pass: 'passed', fail: 'failed', skip: 'skipped' };

function parseEvent(line: string): TestEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const e = JSON.parse(line) as TestEvent;
    return typeof e.Action === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

/** Results of every test (not package) that reported an outcome, in the order they finished. */
export function parseGoTestJson(lines: string[]): SubTest[] {
  const output = new Map<string, string[]>();
  const results: SubTest[] = [];
  for (const event of lines.map(parseEvent)) {
    if (!event?.Test) continue;
    const name = event.Test;
    if (event.Action === 'output' && event.Output !== undefined) {
      output.set(name, [...(output.get(name) ?? []), event.Output.replace(/\n$/, '')]);
    }
    const status = finalActions[event.Action];
    if (status) {
      const out = output.get(name);
      results.push({ name, status, durationMs: Math.round((event.Elapsed ?? 0) * 1000), ...(out && status === 'failed' ? { output: out } : {}) });
      output.delete(name);
    }
  }
  return results;
}

/** Expected tests that did not report an outcome. */
export function missingTests(tests: SubTest[], expected: string[]): string[] {
  const seen = new Set(tests.map((t) => t.name));
  return expected.filter((name) => !seen.has(name));
}
