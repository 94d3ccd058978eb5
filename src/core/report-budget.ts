// One byte budget for a run's output. A workflow's result is one Temporal payload (2 MB at most),
// so the report is fitted to a budget well under it: every validator stays, with its name, phase,
// status, exit code and reason untouched; what is cut is its message, stdout and sub-tests, fairly
// (max-min: small validators keep everything, the big ones share what is left). Pure and
// deterministic: it runs in workflow code (no Node built-ins).
import { jsonHead, jsonStringBytes, jsonTail, utf8Bytes } from './bytes';
import type { SubTest, ValidatorResult } from './result';

/** The JSON of a run's whole output, `{ status, report }`: half of Temporal's 2 MB payload limit. */
export const reportBudgetBytes = 1024 * 1024;
/** A report kept in a ConfigMap: 1 MiB holds its key and metadata too. */
export const configMapReportBytes = reportBudgetBytes - 16 * 1024;

/** A result after fitting: how many sub-tests were left out, if any. */
export type FittedResult = ValidatorResult & { testsOmitted?: number };

export const cutMark = '... [truncated]';
const maxTestNameChars = 512;

/** Max-min fair shares of `total` for parts of the given sizes: a part smaller than its share keeps all of it. */
export function fairShares(sizes: number[], total: number): number[] {
  const shares = sizes.map(() => 0);
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[a] - sizes[b] || a - b);
  let left = Math.max(0, Math.floor(total));
  order.forEach((idx, k) => {
    const share = Math.floor(left / (order.length - k));
    shares[idx] = Math.min(sizes[idx], share);
    left -= shares[idx];
  });
  return shares;
}

const jsonBytes = (value: unknown) => utf8Bytes(JSON.stringify(value));
const linesBytes = (lines: string[]) => lines.reduce((n, l) => n + jsonStringBytes(l) + 1, 0);

/** The text cut to at most `max` JSON bytes (quotes included), its start kept and the cut marked. */
function cutText(text: string, max: number): string {
  if (text === '' || jsonStringBytes(text) <= max) return text;
  return jsonHead(text, Math.max(0, max - jsonStringBytes(cutMark))) + cutMark;
}

/** The newest lines that fit in `max` bytes (a newest line too long alone keeps its end); a first line marks what was cut. */
function tailLines(lines: string[], max: number): string[] {
  if (linesBytes(lines) <= max) return lines;
  const mark = jsonStringBytes(cutMark) + 1;
  const kept = newestLines(lines, max - mark);
  return max >= mark ? [cutMark, ...kept] : kept;
}

function newestLines(lines: string[], max: number): string[] {
  const kept: string[] = [];
  let left = max;
  for (let i = lines.length - 1; i >= 0; i--) {
    const b = jsonStringBytes(lines[i]) + 1;
    if (b <= left) {
      kept.push(lines[i]);
      left -= b;
      continue;
    }
    const room = left - 1 - jsonStringBytes(cutMark);
    if (kept.length === 0 && room > 0) kept.push(cutMark + jsonTail(lines[i], room));
    break;
  }
  return kept.reverse();
}

const bare = (t: SubTest): SubTest => ({ name: t.name.length > maxTestNameChars ? t.name.slice(0, maxTestNameChars) + cutMark : t.name, status: t.status, durationMs: t.durationMs });

/** Sub-tests in `max` bytes: outputs cut first (their last lines kept), then passed and skipped tests left out before failed ones. */
export function fitTests(tests: SubTest[], max: number): { tests: SubTest[]; omitted: number } {
  if (jsonBytes(tests) <= max) return { tests, omitted: 0 };
  const entries = tests.map(bare);
  const sizes = entries.map((t) => jsonBytes(t) + 1);
  const used = 2 + sizes.reduce((a, b) => a + b, 0);
  if (used > max) {
    // Keep failed tests first, then the others, in their order, while they fit.
    const keep = new Set<number>();
    let room = max - 2;
    for (const failedFirst of [true, false]) {
      entries.forEach((t, i) => {
        if ((t.status === 'failed') === failedFirst && sizes[i] <= room) {
          keep.add(i);
          room -= sizes[i];
        }
      });
    }
    return { tests: entries.filter((_, i) => keep.has(i)), omitted: tests.length - keep.size };
  }
  const outputs = tests.map((t) => (t.output?.length ? linesBytes(t.output) + 11 : 0)); // ,"output":[]
  const shares = fairShares(outputs, max - used);
  const fitted = entries.map((t, i) => {
    const lines = tests[i].output?.length ? tailLines(tests[i].output, shares[i] - 11) : [];
    return lines.length ? { ...t, output: lines } : t;
  });
  return { tests: fitted, omitted: 0 };
}

/** The result with its message, stdout, sub-tests and earlier attempts' messages cut to `allowance` bytes between them. */
function cutContent(r: ValidatorResult, allowance: number): FittedResult {
  const attempts = r.attempts ?? [];
  const sizes = [jsonStringBytes(r.message), linesBytes(r.stdout), r.tests?.length ? jsonBytes(r.tests) : 0, attempts.reduce((n, a) => n + jsonStringBytes(a.message), 0)];
  if (sizes.reduce((a, b) => a + b, 0) <= allowance) return r;
  const [m, s, t, a] = fairShares(sizes, allowance);
  const out: FittedResult = { ...r, message: cutText(r.message, m) };
  if (sizes[1] > s) {
    out.stdout = tailLines(r.stdout, s);
    out.stdoutTruncated = true;
  }
  if (r.tests?.length && sizes[2] > t) {
    const fitted = fitTests(r.tests, t);
    out.tests = fitted.tests;
    if (fitted.omitted > 0) out.testsOmitted = ((r as FittedResult).testsOmitted ?? 0) + fitted.omitted;
  }
  if (sizes[3] > a) out.attempts = attempts.map((at) => ({ ...at, message: cutText(at.message, Math.floor(a / attempts.length)) }));
  return out;
}

/**
 * The result cut to at most `maxBytes` as measured by `size` (its JSON by default). Name, phase,
 * status, exit code, reason and times are never changed; when even those exceed `maxBytes`, the
 * smallest form is returned.
 */
export function capResult(r: ValidatorResult, maxBytes: number, size: (r: FittedResult) => number = jsonBytes): FittedResult {
  if (size(r) <= maxBytes) return r;
  const smallest = cutContent(r, 0);
  let allowance = maxBytes - size(smallest);
  for (let attempt = 0; attempt < 6 && allowance > 0; attempt++) {
    const cut = cutContent(r, allowance);
    const over = size(cut) - maxBytes;
    if (over <= 0) return cut;
    allowance -= over + 16 * (attempt + 1);
  }
  return smallest;
}

/**
 * Every result, fitted so their sizes (by `size`) add up to at most `totalBytes`: each keeps at
 * least its smallest form, and the rest of the budget is shared fairly by what would be cut.
 */
export function fitResults(results: ValidatorResult[], totalBytes: number, size: (r: FittedResult) => number = jsonBytes): FittedResult[] {
  const full = results.map(size);
  if (full.reduce((a, b) => a + b, 0) <= totalBytes) return results;
  const least = results.map((r, i) => Math.min(full[i], size(cutContent(r, 0))));
  const spare = totalBytes - least.reduce((a, b) => a + b, 0);
  const extra = fairShares(full.map((f, i) => f - least[i]), spare);
  return results.map((r, i) => (least[i] + extra[i] >= full[i] ? r : capResult(r, least[i] + extra[i], size)));
}

/** A single validator's share of the report: what one child workflow's result may take. */
export const resultShareBytes = (validators: number): number => Math.floor(reportBudgetBytes / Math.max(1, validators));
